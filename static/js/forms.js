// After a form comes back with errors (or is held back with a question), move
// focus to the message so keyboard and screen-reader users hear it (WCAG 3.3.1).
(function () {
  "use strict";
  var target = document.querySelector("[data-focus-on-load]");
  if (target) { target.focus(); }
})();
