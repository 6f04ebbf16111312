/* 放心消费公示平台: progressive enhancements only; every feature works without this file. */
(function () {
  "use strict";

  var TEXT_SIZE_COOKIE = "fx_text_size";
  var ONE_YEAR = 365 * 24 * 3600;
  var root = document.documentElement;

  // Large-text mode (适老化): switch in place instead of the server round trip the link does.
  function rememberTextSize(large) {
    var cookie = TEXT_SIZE_COOKIE + "=" + (large ? "large" : "normal") +
      "; path=/; max-age=" + ONE_YEAR + "; SameSite=Lax";
    if (window.location.protocol === "https:") {
      cookie += "; Secure";
    }
    document.cookie = cookie;
  }

  function toggleTextSize(toggle) {
    var large = root.classList.toggle("large-text");
    rememberTextSize(large);
    toggle.textContent = large ? toggle.dataset.labelNormal : toggle.dataset.labelLarge;
    toggle.href = toggle.getAttribute("href").replace(/size=(large|normal)/, "size=" + (large ? "normal" : "large"));
  }

  // Long filter lists fold away on a phone, so the results are what the reader sees first.
  if (window.matchMedia && window.matchMedia("(max-width: 959px)").matches) {
    document.querySelectorAll("details[data-fold-narrow]").forEach(function (panel) {
      panel.open = false;
    });
  }

  document.querySelectorAll("[data-text-size-toggle]").forEach(function (toggle) {
    toggle.setAttribute("role", "button");
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      toggleTextSize(toggle);
    });
    // Buttons answer to the space bar as well as Enter.
    toggle.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault();
        toggleTextSize(toggle);
      }
    });
  });

  // Closed <details> (FAQ answers) would not print; open them for paper, close them after.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    openedForPrint = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    openedForPrint.forEach(function (details) { details.open = true; });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) { details.open = false; });
    openedForPrint = [];
  });
})();
