// The header search box: the site's first results (cases, streets, districts, the guide)
// as you type; Enter opens the case library with ?q=, which is also what the form does
// without JavaScript.
import { escapeHtml, excerptHtml, normalise, pagefind, rankedSearch, siteUrl } from "./search-core.js";

const LIMIT = 6;

const form = document.querySelector("[data-yp-search]");
if (form) headerSearch(form);

function headerSearch(form) {
  const input = form.querySelector("input[name=q]");
  const panel = form.querySelector(".yp-search__panel");
  const status = panel.querySelector(".yp-search__status");
  const list = panel.querySelector(".yp-search__results");
  const all = panel.querySelector(".yp-search__all");
  let latest = 0;

  const close = () => {
    panel.hidden = true;
  };
  const links = () => [...panel.querySelectorAll("a")];

  async function update() {
    const id = ++latest;
    const text = input.value.trim();
    if (!text) return close();
    const [pf, query] = await Promise.all([pagefind(), normalise(text)]);
    pf.preload(query);
    await new Promise((resolve) => setTimeout(resolve, 120)); // search when typing pauses
    if (id !== latest) return;
    const found = await rankedSearch(pf, query);
    const results = await Promise.all(found.slice(0, LIMIT).map((result) => result.data()));
    if (id !== latest) return;
    const count = found.length;
    status.textContent = count ? `找到 ${count} 个结果` : "没有找到结果，换个词试试，或到案例库按地区、主题查找。";
    list.innerHTML = results.map(hit).join("");
    all.href = `${siteUrl("cases/")}?q=${encodeURIComponent(text)}`;
    panel.hidden = false;
  }

  input.addEventListener("focus", () => pagefind(), { once: true }); // start loading while the user types
  input.addEventListener("input", update);
  form.addEventListener("keydown", (event) => {
    const items = links();
    const at = items.indexOf(document.activeElement);
    if (event.key === "Escape") {
      close();
      input.focus();
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !panel.hidden && items.length) {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = at < 0 ? (step > 0 ? 0 : items.length - 1) : at + step;
      if (next < 0) input.focus();
      else items[Math.min(next, items.length - 1)].focus();
    }
  });
  form.addEventListener("focusout", (event) => {
    if (!form.contains(event.relatedTarget)) close();
  });
}

function hit(result) {
  const meta = result.meta || {};
  return `<li><a class="yp-search__hit" href="${escapeHtml(result.url)}">`
    + `<span class="yp-search__type">${escapeHtml(meta.type)}</span>`
    + `<span class="yp-search__title">${escapeHtml(meta.title || result.url)}</span>`
    + `<span class="yp-search__excerpt">${excerptHtml(result.excerpt)}</span></a></li>`;
}
