// 适老化: apply the reader's saved choices in <head>, before the page is painted.
(function () {
  try {
    var root = document.documentElement.classList;
    if (localStorage.getItem("campaign.elder.large") === "1") root.add("elder-large");
    if (localStorage.getItem("campaign.elder.contrast") === "1") root.add("elder-contrast");
  } catch (e) { /* storage blocked: the page stays in normal mode */ }
})();
