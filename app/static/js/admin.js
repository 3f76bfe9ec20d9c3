// Staff pages: move focus to the error summary (or a conflict or result notice) when a
// page loads with one, as the GOV.UK pattern asks. The autofocus attribute does the
// same without JavaScript; this covers browsers that ignore it on non-form elements.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var target = document.querySelector(".error-summary, [autofocus][tabindex='-1']");
    if (target && document.activeElement !== target) target.focus();
  });
})();
