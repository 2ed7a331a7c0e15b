// Small accessibility fixes to markup that Material's own script creates at run time.
(function () {
  "use strict";

  // Material wraps wide tables in a sideways scroll area: make it reachable by keyboard.
  function labelScrollAreas() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "可左右滑动的表格");
      }
    });
  }

  function afterMaterial() { window.requestAnimationFrame(labelScrollAreas); }
  if (window.document$) window.document$.subscribe(afterMaterial);
  else window.addEventListener("load", afterMaterial);
})();
