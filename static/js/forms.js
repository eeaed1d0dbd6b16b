// After a form comes back with errors, move focus to the summary so that
// keyboard and screen-reader users hear what to fix (WCAG 3.3.1).
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
