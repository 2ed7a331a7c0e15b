// Gallery lightbox: the large variant in a modal <dialog>; Esc closes (the browser's own),
// ←/→ and swipes move through the gallery, and focus goes back to the picture that opened
// it. Without JavaScript (or <dialog>) each link simply opens the large image.
(function () {
  "use strict";
  var links = Array.prototype.slice.call(document.querySelectorAll("a[data-yp-lightbox]"));
  if (!links.length || typeof HTMLDialogElement !== "function") return;
  var dialog, source, img, caption, counter, current = 0, opener = null, touch = null;

  function button(cls, label, text, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "yp-lightbox__" + cls;
    b.setAttribute("aria-label", label);
    b.textContent = text;
    b.addEventListener("click", action);
    dialog.appendChild(b);
    return b;
  }

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "yp-lightbox";
    dialog.setAttribute("aria-label", "查看大图");
    dialog.innerHTML = '<figure class="yp-lightbox__figure"><picture><source type="image/webp"><img alt=""></picture>'
      + '<figcaption class="yp-lightbox__caption"></figcaption></figure><p class="yp-lightbox__count"></p>';
    source = dialog.querySelector("source");
    img = dialog.querySelector("img");
    caption = dialog.querySelector("figcaption");
    counter = dialog.querySelector(".yp-lightbox__count");
    button("close", "关闭", "×", function () { dialog.close(); });
    if (links.length > 1) {
      button("prev", "上一张", "‹", function () { show(current - 1); });
      button("next", "下一张", "›", function () { show(current + 1); });
    }
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") show(current - 1);
      else if (event.key === "ArrowRight") show(current + 1);
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();  // a tap on the dimmed backdrop
    });
    dialog.addEventListener("pointerdown", function (event) { touch = [event.clientX, event.clientY]; });
    dialog.addEventListener("pointerup", function (event) {
      if (!touch) return;
      var dx = event.clientX - touch[0], dy = event.clientY - touch[1];
      touch = null;
      if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
    });
    dialog.addEventListener("close", function () { if (opener) opener.focus(); });
    document.body.appendChild(dialog);
  }

  function show(index) {
    current = (index + links.length) % links.length;
    var link = links[current], thumb = link.querySelector("img");
    var figcaption = link.parentNode.querySelector("figcaption");
    img.removeAttribute("src");  // no stale picture while the next one loads
    source.srcset = link.getAttribute("data-webp");
    img.width = thumb.width ? thumb.getAttribute("width") : 0;
    img.height = thumb.height ? thumb.getAttribute("height") : 0;
    img.alt = thumb.alt;
    img.src = link.href;
    caption.replaceChildren.apply(caption, figcaption ? Array.prototype.map.call(
      figcaption.childNodes, function (node) { return node.cloneNode(true); }) : []);
    caption.hidden = !figcaption;
    counter.textContent = links.length > 1 ? (current + 1) + " / " + links.length : "";
  }

  links.forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      if (!dialog) build();
      opener = link;
      show(index);
      dialog.showModal();
    });
  });
})();
