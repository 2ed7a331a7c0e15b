// Shared by the header search box (search.js) and the case library (library.js): loads
// Pagefind's index and the OpenCC converter from this site (never from a CDN) and turns
// what people type into what the index holds.

const ROOT = new URL("../../", import.meta.url); // this file is assets/javascripts/search-core.js

// A case's title is its brand name; its community and region are metadata too: matches
// there count more than in the story (Pagefind's default weighs the title 5×, others 1×).
const RANKING = { metaWeights: { title: 8, community: 4, region: 2 } };

let engine = null;
let traditional = null;
let converter = null;

export function siteUrl(path) {
  return new URL(path, ROOT).href;
}

export function pagefind() {
  engine ??= import(siteUrl("pagefind/pagefind.js")).then(async (pf) => {
    await pf.options({ baseUrl: ROOT.pathname, excerptLength: 40, ranking: RANKING });
    await pf.init();
    return pf;
  });
  traditional ??= import(siteUrl("assets/javascripts/vendor/opencc-traditional.js"))
    .then((module) => new Set(module.default), () => new Set());
  return engine;
}

// The index holds simplified Chinese (traditional text also in its simplified form, see
// generator/search_index.py), so the query is converted with the same OpenCC data: 為夕陽續電
// finds 为夕阳续电. The converter (50 KB) is only fetched for a query with a character it
// changes; the list of those characters is generated from OpenCC when the site is built.
export async function normalise(text) {
  const query = text.trim().replace(/\s+/gu, " ");
  pagefind();
  const changes = await traditional;
  if (![...query].some((ch) => changes.has(ch))) return query;
  converter ??= import(siteUrl("assets/javascripts/vendor/opencc-t2cn.js"))
    .then((opencc) => opencc.Converter({ from: "t", to: "cn" }));
  try {
    return (await converter)(query);
  } catch {
    return query; // without the converter, simplified queries still work
  }
}

// Pagefind scores each word of a query on its own, so a page full of 红 (红心, 红色) can
// outrank the brand 红管+ for 红管. Pages holding the query exactly as typed come first, each
// group in Pagefind's order (an exact-phrase search finds them but does not rank them).
export async function rankedSearch(pf, query, options = {}) {
  const loose = pf.search(query, options);
  if (!query || options.sort || /["\s]/u.test(query)) return (await loose).results;
  const [exact, all] = await Promise.all([pf.search(`"${query}"`, options), loose]);
  const phrase = new Set(exact.results.map((result) => result.id));
  const [first, rest] = [[], []];
  for (const result of all.results) (phrase.has(result.id) ? first : rest).push(result);
  return [...first, ...rest];
}

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/gu, (ch) => ESCAPES[ch]);
}

// Pagefind's excerpt is HTML: its own <mark>s around the text, in which it escapes < and >
// but not &. So "&amp;" typed in a record would show as "&"; escape the other ampersands.
export function excerptHtml(excerpt) {
  return String(excerpt ?? "").replace(/&(?!lt;|gt;)/gu, "&amp;");
}
