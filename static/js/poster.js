/* Print buttons of the poster and of article pages (a script file: the Content-Security-Policy
   allows no inline handler). */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
