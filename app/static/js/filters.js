// The search filters: on a wide screen they stand beside the results, so the disclosure
// that folds them away on a phone is kept open there; with an error it opens anywhere,
// so the field with the message can be seen. Without JavaScript the stylesheet shows
// them on wide screens, and the page opens the disclosure itself when there are errors.
(function () {
  "use strict";
  var panel = document.getElementById("filter-panel");
  if (!panel) {
    return;
  }
  var wide = window.matchMedia("(min-width: 50rem)");

  function update() {
    var errors = document.querySelector("#error-summary-slot .error-summary");
    if (wide.matches || errors) {
      panel.open = true;
    }
  }

  update();
  wide.addEventListener("change", update);
  document.addEventListener("htmx:afterSettle", update);
})();
