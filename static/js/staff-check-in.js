// Check-in: scan a ticket's QR code with the phone's camera, where the browser can read one
// itself (the BarcodeDetector web API). Without it the page works as it is: a USB or phone
// scanner types the code into the field, or staff type it. No outside scripts.
(function () {
  "use strict";

  function start(form) {
    var button = form.querySelector(".check-in__camera");
    var video = form.querySelector(".check-in__video");
    var input = form.querySelector("input[name=ticket_code]");
    if (!button || !video || !input) return;
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;

    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    var stream = null;
    var timer = null;
    var last = "";
    button.hidden = false;

    function stop() {
      if (timer) window.clearInterval(timer);
      timer = null;
      if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
      video.hidden = true;
      button.textContent = button.dataset.scanLabel;
    }

    function look() {
      detector.detect(video).then(function (codes) {
        if (!codes.length) return;
        var code = codes[0].rawValue;
        // The same ticket stays in front of the camera for a while: send it once.
        if (code === last) return;
        last = code;
        window.setTimeout(function () { last = ""; }, 3000);
        input.value = code;
        form.requestSubmit();
      }).catch(function () {});
    }

    button.addEventListener("click", function () {
      if (stream) { stop(); return; }
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          button.textContent = button.dataset.stopLabel;
          return video.play();
        })
        .then(function () { timer = window.setInterval(look, 300); })
        .catch(function () { stop(); });
    });
  }

  // After each answer the field is emptied and ready for the next ticket (a script file, not
  // an hx-on attribute: the Content-Security-Policy allows no inline script).
  function resetAfterAnswer(form) {
    form.addEventListener("htmx:afterRequest", function (event) {
      if (!event.detail.successful) return;
      form.reset();
      var input = form.querySelector("input[name=ticket_code]");
      if (input) input.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".check-in__form").forEach(function (form) {
      resetAfterAnswer(form);
      start(form);
    });
  });
})();
