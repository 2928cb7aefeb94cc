/* Counts contact actions on a listing (call, directions, website, share).
   First-party, no cookies, nothing about the person: the listing's id and the
   action, sent with navigator.sendBeacon so the link itself is never delayed.
   Without this script every link works the same; it is just not counted. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !navigator.sendBeacon) return;
  var page = script.getAttribute("data-page");
  var url = script.getAttribute("data-beacon");
  if (!page || !url) return;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-contact]");
    if (!link) return;
    var data = new URLSearchParams();
    data.append("page", page);
    data.append("action", link.getAttribute("data-contact"));
    navigator.sendBeacon(url, data);
  });
})();
