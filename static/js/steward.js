/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  var exit = document.querySelector("[data-quick-exit]");
  if (exit) {
    var leave = function (event) {
      if (event) event.preventDefault();
      // replace() keeps this site out of the Back button's way.
      window.location.replace(exit.href);
    };
    exit.addEventListener("click", leave);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") leave(event);
    });
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var status = document.querySelector("[data-copy-status]");
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(
        function () { if (status) status.textContent = "Link copied."; },
        function () { if (status) status.textContent = "Couldn’t copy. Use Text it or Email it instead."; }
      );
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  if ("geolocation" in navigator) {
    document.querySelectorAll("[data-geolocate]").forEach(function (button) {
      var form = button.form;
      var input = form && form.querySelector("[name=near]");
      var status = form && form.querySelector("[data-geolocate-status]");
      if (!input) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        if (status) status.textContent = "Finding your location…";
        navigator.geolocation.getCurrentPosition(
          function (pos) {
            // Three decimals (about 100 m) is enough to sort by distance.
            input.value = pos.coords.latitude.toFixed(3) + "," + pos.coords.longitude.toFixed(3);
            if (status) status.textContent = "Using your location.";
          },
          function () { if (status) status.textContent = "Couldn’t get your location. Enter a ZIP code instead."; },
          { maximumAge: 600000, timeout: 10000 }
        );
      });
    });
  }
})();
