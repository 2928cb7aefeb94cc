// The category tree's filter box: hides terms that match neither themselves nor a
// term under them. Without this script the box stays hidden; the checkboxes work.
(function () {
  function setUp(tree) {
    var input = tree.querySelector("[data-category-filter]");
    var label = tree.querySelector("[data-category-filter-label]");
    if (!input || input.dataset.ready) return;
    input.dataset.ready = "1";
    input.hidden = false;
    if (label) label.hidden = false;
    var terms = Array.prototype.slice.call(tree.querySelectorAll("[data-category-term]"));
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      // Deepest first, so a parent knows whether a child is shown.
      terms.slice().reverse().forEach(function (li) {
        var own = li.querySelector("label").textContent.toLowerCase().indexOf(needle) !== -1;
        var child = li.querySelector("[data-category-term]:not([hidden])");
        li.hidden = !(needle === "" || own || child);
      });
    });
  }
  function all() {
    document.querySelectorAll("[data-category-tree]").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
