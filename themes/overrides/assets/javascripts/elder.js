// 长辈模式 (elderly-friendly mode): larger text and spacing, higher contrast, bigger tap
// targets, no decoration. Remembered across pages in localStorage; the attribute is set
// before first paint by the inline script in main.html, this file wires the button.
(function () {
  "use strict";
  var KEY = "yipin-elder";
  var root = document.documentElement;

  function apply(on) {
    if (on) root.setAttribute("data-yp-elder", "");
    else root.removeAttribute("data-yp-elder");
    document.querySelectorAll(".yp-elder-toggle").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.querySelector(".yp-elder-toggle__label").textContent = on ? "标准模式" : "长辈模式";
    });
  }

  function toggle() {
    var on = !root.hasAttribute("data-yp-elder");
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
    apply(on);
  }

  document.querySelectorAll(".yp-elder-toggle").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", toggle);
  });
  apply(root.hasAttribute("data-yp-elder"));
})();
