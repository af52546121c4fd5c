// 适老化 toggles: larger text and high contrast. Native buttons (keyboard reachable,
// aria-pressed tells screen readers the state); the choice is kept in localStorage so it
// holds on every page of the column. elder-init.js applies it early on the next page.
(function () {
  var KEYS = { large: "campaign.elder.large", contrast: "campaign.elder.contrast" };
  var root = document.documentElement;

  function sync(button) {
    var kind = button.getAttribute("data-elder-toggle");
    button.setAttribute("aria-pressed", root.classList.contains("elder-" + kind) ? "true" : "false");
  }

  var buttons = document.querySelectorAll("[data-elder-toggle]");
  Array.prototype.forEach.call(buttons, function (button) {
    sync(button);
    button.addEventListener("click", function () {
      var kind = button.getAttribute("data-elder-toggle");
      var on = root.classList.toggle("elder-" + kind);
      try { localStorage.setItem(KEYS[kind], on ? "1" : "0"); } catch (e) { /* not kept */ }
      sync(button);
    });
  });
})();

// Wide tables scroll inside their own box on narrow screens (or with 大字模式); such a box
// must be reachable by keyboard to be scrolled, and named for screen readers.
(function () {
  function mark() {
    var boxes = document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset figure.trend-chart");
    Array.prototype.forEach.call(boxes, function (box, index) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        // Landmarks need distinct names: number the tables of the page.
        box.setAttribute("aria-label", "第" + (index + 1) + (box.tagName === "FIGURE" ? "个图表" : "个表格") + "（可左右滚动）");
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  // Our tables arrive in the scroll box (site/responsive.py); Material's script wraps any
  // other table after this file runs: hook into its document$ stream, and re-check once
  // everything has loaded.
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(function () { setTimeout(mark, 0); });
  }
  window.addEventListener("load", mark);
  window.addEventListener("resize", mark);
  Array.prototype.forEach.call(document.querySelectorAll("[data-elder-toggle]"), function (button) {
    button.addEventListener("click", mark);
  });
})();
