// The case library (/cases/): a search box, facets with counts, result cards and a sort,
// with the whole view in the URL (?q=…&theme=…&province=…&sort=…) so it can be shared and
// bookmarked. Values of one facet are alternatives (OR), facets narrow each other (AND);
// a facet's counts say how many cases each value would give with the other facets kept.
// Without JavaScript the page lists every case by region instead (in <noscript>).
import { escapeHtml, excerptHtml, isWeb, memberOf, missingMembers, normalise, pagefind, rankedSearch } from "./search-core.js";

const SORTS = { updated: "desc", launched: "desc" };
const PAGE = 12; // cards shown at a time: each loads its page's search fragment
const SHORT = 8; // facet values shown before "显示全部"

const root = document.querySelector("[data-yp-library]");
const form = root.querySelector("form");
const input = form.elements.q;
const sortSelect = form.elements.sort;
const facetsBox = root.querySelector("[data-yp-facets]");
// [key, label] of every facet, from the closed boxes the page starts with.
const FACETS = [...facetsBox.querySelectorAll("details")].map((box) => [box.dataset.facet, box.querySelector("summary").textContent]);
const status = root.querySelector("[data-yp-status]");
const chips = root.querySelector("[data-yp-chips]");
const clear = root.querySelector("[data-yp-clear]");
const list = root.querySelector("[data-yp-results]");
const more = root.querySelector("[data-yp-more]");
const missingNote = root.querySelector("[data-yp-missing]");

let state = readState(location.search);
let shown = PAGE;
let results = [];
let counts = null; // facet → value → cases, once every filter's index has arrived
let run = 0;
let typing = 0;
let filtersLoaded = null;
const expanded = new Set();
const opened = new Set();

function readState(search) {
  const params = new URLSearchParams(search);
  const filters = {};
  for (const [key] of FACETS) {
    const values = [...new Set(params.getAll(key).filter(Boolean))];
    if (values.length) filters[key] = values;
  }
  const sort = Object.hasOwn(SORTS, params.get("sort") ?? "") ? params.get("sort") : "";
  return { q: params.get("q")?.trim() ?? "", sort, filters };
}

function saveState(replace) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const [key] of FACETS) for (const value of state.filters[key] ?? []) params.append(key, value);
  if (state.sort) params.set("sort", state.sort);
  const url = params.toString() ? `?${params}` : location.pathname;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
}

function isActive() {
  return Boolean(state.q || state.sort || Object.keys(state.filters).length);
}

// Pagefind's filters: always cases only; each selected facet as "any of its values".
function pagefindFilters(except) {
  const filters = { type: "case" };
  for (const [key, values] of Object.entries(state.filters)) {
    if (key !== except) filters[key] = { any: values };
  }
  return filters;
}

// Results first, then the facets: counting needs every filter's index (the largest part of
// a first search), so the cards are drawn before it has arrived.
async function update() {
  const id = ++run;
  list.setAttribute("aria-busy", "true");
  facetsBox.setAttribute("aria-busy", "true");
  const [pf, query] = await Promise.all([pagefind(), state.q ? normalise(state.q) : null]);
  const sort = state.sort ? { [state.sort]: SORTS[state.sort] } : query ? undefined : { updated: "desc" };
  const found = await rankedSearch(pf, query, { filters: pagefindFilters(), sort });
  if (id !== run) return;
  results = found;
  renderChips();
  await renderResults(id);
  filtersLoaded ??= pf.filters();
  await filtersLoaded;
  const all = await pf.search(query, { filters: pagefindFilters() });
  const next = {};
  for (const [key] of FACETS) {
    next[key] = state.filters[key] ? (await pf.search(query, { filters: pagefindFilters(key) })).filters[key] : all.filters[key];
  }
  if (id !== run) return;
  counts = next;
  renderFacets();
  facetsBox.setAttribute("aria-busy", "false");
}

// Cards appear in order as their fragments arrive (the first one does not wait for the
// slowest of the page); the previous results stay until the first new card replaces them.
// ``from``: the cards already shown stay (显示更多 adds the next ones below them).
async function renderResults(id, from = 0) {
  list.setAttribute("aria-busy", "true");
  const pending = results.slice(from, shown).map((result) => result.data());
  const words = state.q ? `与“${escapeHtml(state.q)}”相关的` : "";
  if (!results.length) status.innerHTML = `没有找到${words}案例。可以换个关键词，或减少筛选条件。`;
  else if (isActive()) status.innerHTML = `找到 ${results.length} 个${words}案例`;
  else status.textContent = `共 ${results.length} 个案例，最近更新的在前`;
  if (!from && !pending.length) list.innerHTML = "";
  for (const [i, item] of pending.entries()) {
    const html = card(await item, Boolean(state.q));
    if (id !== run) return;
    if (!from && !i) list.innerHTML = html;
    else list.insertAdjacentHTML("beforeend", html);
  }
  more.hidden = shown >= results.length;
  list.setAttribute("aria-busy", "false");
}

function sortedValues(key) {
  const selected = state.filters[key] ?? [];
  const values = Object.entries(counts?.[key] ?? {}).filter(([value, n]) => n > 0 || selected.includes(value));
  for (const value of selected) if (!values.some(([v]) => v === value)) values.push([value, 0]);
  const byName = (a, b) => a[0].localeCompare(b[0], "zh-CN");
  return values.sort(key === "year" ? (a, b) => byName(b, a) : (a, b) => b[1] - a[1] || byName(a, b));
}

function facetHtml([key, label]) {
  const selected = state.filters[key] ?? [];
  const values = sortedValues(key);
  const none = `<p class="yp-facet__none">${counts ? "没有可选的项" : "正在统计…"}</p>`;
  const visible = expanded.has(key) ? values : values.filter(([v], i) => i < SHORT || selected.includes(v));
  const items = visible.map(([value, n]) => `<li><label><input type="checkbox" name="${key}" value="${escapeHtml(value)}"`
    + `${selected.includes(value) ? " checked" : ""}> <span class="yp-facet__value">${escapeHtml(value)}</span>`
    + ` <span class="yp-count">${n}</span></label></li>`).join("");
  const rest = values.length - visible.length;
  const moreButton = rest > 0 ? `<button type="button" class="yp-facet__more" data-facet="${key}">显示全部 ${values.length} 项</button>` : "";
  const badge = selected.length ? ` <span class="yp-facet__selected">已选 ${selected.length}</span>` : "";
  return `<details class="yp-facet" data-facet="${key}"${opened.has(key) ? " open" : ""}><summary>${label}${badge}</summary>`
    + (values.length ? `<ul class="yp-facet__values" aria-label="${label}">${items}</ul>${moreButton}` : none) + "</details>";
}

function renderFacets() {
  // The boxes are drawn anew on every change: keep the keyboard focus where it was.
  const active = document.activeElement;
  const focus = facetsBox.contains(active) ? [active.name, active.value, active.closest("details")?.dataset.facet] : null;
  facetsBox.innerHTML = FACETS.map(facetHtml).join("");
  if (!focus) return;
  const [name, value, facet] = focus;
  const target = [...facetsBox.querySelectorAll("input")].find((el) => el.name === name && el.value === value)
    ?? facetsBox.querySelector(`details[data-facet="${facet}"] summary`);
  target?.focus();
}

function renderChips() {
  const selected = FACETS.flatMap(([key, label]) => (state.filters[key] ?? []).map((value) => [key, label, value]));
  chips.innerHTML = selected.map(([key, label, value]) => `<button type="button" class="yp-chip" data-key="${key}" `
    + `data-value="${escapeHtml(value)}" aria-label="取消筛选 ${label}：${escapeHtml(value)}">${label}：${escapeHtml(value)} ×</button>`).join("");
  clear.hidden = !isActive();
}

function card(item, withExcerpt) {
  const meta = item.meta ?? {};
  const url = isWeb(item.url) ? new URL(item.url, location.href).href : "#";
  const picture = meta.image && url !== "#" ? new URL(meta.image, url).href : "";
  const image = isWeb(picture) ? `<img class="yp-card__thumb" src="${escapeHtml(picture)}" alt="" loading="lazy">` : "";
  const member = memberOf(url);
  const themes = (meta.themes ?? "").split("、").filter(Boolean).map((t) => `<span class="yp-tag">${escapeHtml(t)}</span>`).join("");
  const text = withExcerpt && item.excerpt ? excerptHtml(item.excerpt) : escapeHtml(meta.summary);
  const place = [meta.community, meta.region].filter(Boolean).map(escapeHtml).join(" · ");
  return `<li class="yp-card"><a href="${escapeHtml(url)}">${image}`
    + `<span class="yp-card__brand">${escapeHtml(meta.title)}</span>`
    + (meta.slogan ? `<span class="yp-card__slogan">${escapeHtml(meta.slogan)}</span>` : "")
    + `<span class="yp-card__place">${place}</span><span class="yp-card__summary">${text}</span>`
    + `<span class="yp-card__themes">${themes}</span>`
    + (member ? `<span class="yp-card__member">来自 ${escapeHtml(member.name)}</span>` : "") + "</a></li>";
}

function changed({ replace = false } = {}) {
  shown = PAGE;
  saveState(replace);
  noteMissing();
update();
}

function syncControls() {
  input.value = state.q;
  sortSelect.value = state.sort;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typing);
  state.q = input.value.trim();
  changed({ replace: true });
});
input.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => {
    state.q = input.value.trim();
    changed({ replace: true });
  }, 250);
});
sortSelect.addEventListener("change", () => {
  state.sort = sortSelect.value;
  changed();
});
facetsBox.addEventListener("change", (event) => {
  const { name, value, checked } = event.target;
  const values = new Set(state.filters[name] ?? []);
  if (checked) values.add(value);
  else values.delete(value);
  if (values.size) state.filters[name] = [...values];
  else delete state.filters[name];
  changed();
});
facetsBox.addEventListener("toggle", (event) => {
  const facet = event.target.dataset.facet;
  if (event.target.open) opened.add(facet);
  else opened.delete(facet);
}, true);
facetsBox.addEventListener("click", (event) => {
  const button = event.target.closest(".yp-facet__more");
  if (!button) return;
  expanded.add(button.dataset.facet);
  renderFacets();
});
chips.addEventListener("click", (event) => {
  const chip = event.target.closest(".yp-chip");
  if (!chip) return;
  const values = (state.filters[chip.dataset.key] ?? []).filter((v) => v !== chip.dataset.value);
  if (values.length) state.filters[chip.dataset.key] = values;
  else delete state.filters[chip.dataset.key];
  changed();
  input.focus();
});
clear.addEventListener("click", () => {
  state = { q: "", sort: "", filters: {} };
  syncControls();
  changed();
  input.focus();
});
more.addEventListener("click", () => {
  const from = shown;
  shown += PAGE;
  renderResults(run, from);
});
window.addEventListener("popstate", () => {
  state = readState(location.search);
  syncControls();
  shown = PAGE;
  noteMissing();
update();
});

// A portal names the member sites whose cases could not be searched this time.
async function noteMissing() {
  const missing = await missingMembers();
  if (!missing.length || !missingNote) return;
  missingNote.textContent = `暂时无法搜索 ${missing.map((member) => member.name).join("、")} 的案例（网站无法访问），`
    + "下面是其他网站的结果。";
  missingNote.hidden = false;
}

syncControls();
root.classList.add("yp-library--ready"); // for browsers without the `scripting` media feature
noteMissing();
update();
