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
