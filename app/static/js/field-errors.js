// Progressive enhancement for the search form: after HTMX has swapped in new results
// (and with them the error summary), mark the form fields the same way the server
// does on a full page load: aria-invalid, an error message before the control, and
// the message in aria-describedby. Without JavaScript the server renders all of it.
(function () {
  "use strict";

  function messagesFromSummary() {
    var messages = {};
    var slot = document.getElementById("error-summary-slot");
    if (!slot) return messages;
    slot.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
      messages[link.getAttribute("href").slice(1)] = link.textContent.trim();
    });
    return messages;
  }

  function describedBy(control, id, add) {
    var ids = (control.getAttribute("aria-describedby") || "").split(/\s+/)
      .filter(function (token) { return token && token !== id; });
    if (add) ids.push(id);
    if (ids.length) control.setAttribute("aria-describedby", ids.join(" "));
    else control.removeAttribute("aria-describedby");
  }

  function sync() {
    var form = document.getElementById("search-form");
    if (!form) return;
    var prefix = form.getAttribute("data-error-prefix") || "";
    var messages = messagesFromSummary();
    form.querySelectorAll("input[type=text][id], input[type=search][id], select[id]")
      .forEach(function (control) {
        var errorId = control.id + "-error";
        var error = document.getElementById(errorId);
        var message = messages[control.id];
        var field = control.closest(".field");
        if (message) {
          if (!error) {
            error = document.createElement("span");
            error.className = "error-message";
            error.id = errorId;
            control.parentNode.insertBefore(error, control);
          }
          error.textContent = "";
          var hidden = document.createElement("span");
          hidden.className = "visually-hidden";
          hidden.textContent = prefix + ":";
          error.appendChild(hidden);
          error.appendChild(document.createTextNode(" " + message));
          control.setAttribute("aria-invalid", "true");
          if (field) field.classList.add("field-error");
        } else {
          if (error) error.remove();
          control.removeAttribute("aria-invalid");
          if (field) field.classList.remove("field-error");
        }
        describedBy(control, errorId, Boolean(message));
      });
  }

  document.addEventListener("htmx:afterSettle", sync);
})();
