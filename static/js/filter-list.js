// Narrow a long checkbox list while typing (progressive enhancement: without
// JavaScript the whole list stays visible and usable).
(function () {
  "use strict";
  document.querySelectorAll("[data-filter-list]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("data-filter-list"));
    if (!list) { return; }
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      list.querySelectorAll("li").forEach(function (item) {
        var match = !needle || item.textContent.toLowerCase().indexOf(needle) !== -1;
        var box = item.querySelector("input");
        item.hidden = !match && !(box && box.checked);
      });
    });
  });
})();
