// The events filters on a phone: folded behind their "Filters" button (a <details>), unless a
// filter is in use. Without this script the <details> stays open and the filters work as a plain
// form, so nothing depends on it. Wider screens always show them.
(function () {
  "use strict";
  var phone = window.matchMedia("(max-width: 719px)");

  function fold() {
    document.querySelectorAll("details[data-fold-on-phone]").forEach(function (details) {
      details.open = !phone.matches || details.hasAttribute("data-in-use");
    });
  }

  document.addEventListener("DOMContentLoaded", fold);
  phone.addEventListener("change", fold);
})();
