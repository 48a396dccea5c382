// After a server-side form error, focus goes to the error summary (or to the first field with an
// error when a form has no summary), so that a screen reader announces it and a keyboard user
// starts from there. Pages work without this script; it only moves the focus.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var main = document.getElementById("main");
    if (!main) return;
    var target = main.querySelector(".message--error, [data-error-summary]");
    if (!target) {
      var field = main.querySelector(".field--invalid input, .field--invalid select, .field--invalid textarea");
      if (field) field.focus();
      return;
    }
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  });
})();
