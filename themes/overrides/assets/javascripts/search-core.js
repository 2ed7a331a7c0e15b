// Shared by the header search box (search.js) and the case library (library.js): loads
// Pagefind's index and the OpenCC converter from this site (never from a CDN) and turns
// what people type into what the index holds.

const ROOT = new URL("../../", import.meta.url); // this file is assets/javascripts/search-core.js

// A case's title is its brand name; its community and region are metadata too: matches
// there count more than in the story (Pagefind's default weighs the title 5×, others 1×).
const RANKING = { metaWeights: { title: 8, community: 4, region: 2 } };

const OPTIONS = { excerptLength: 40, ranking: RANKING };
const MEMBER_TIMEOUT = 5000; // ms a member's index may take to answer before it is left out

let engine = null;
let members = null;
let listed = []; // a portal's members, once pagefind() has resolved
let missing = [];
let traditional = null;
let converter = null;

export function siteUrl(path) {
  return new URL(path, ROOT).href;
}

export function pagefind() {
  engine ??= Promise.all([import(siteUrl("pagefind/pagefind.js")), memberIndexes()]).then(([pf, sites]) => start(pf, sites));
  traditional ??= import(siteUrl("assets/javascripts/vendor/opencc-traditional.js"))
    .then((module) => new Set(module.default), () => new Set());
  return engine;
}

// Pagefind keeps an index whose merge failed, and every search through it then fails: when
// one fails (or takes longer than MEMBER_TIMEOUT), start again without it.
async function start(pf, sites) {
  listed = sites.listed;
  missing = [...sites.missing];
  let members = sites.reachable;
  for (;;) {
    await pf.options({ baseUrl: ROOT.pathname, ...OPTIONS });
    await pf.init();
    const failed = (await Promise.all(members.map((member) => within(MEMBER_TIMEOUT,
      pf.mergeIndex(member.search, { baseUrl: member.url, ...OPTIONS })).then(() => null, () => member)))).filter(Boolean);
    if (!failed.length) break;
    missing.push(...failed);
    members = members.filter((member) => !failed.includes(member));
    await pf.destroy();
  }
  return pf;
}

function within(ms, promise) {
  return Promise.race([promise, new Promise((resolve, reject) => setTimeout(() => reject(new Error("timeout")), ms))]);
}

// A portal (its pages carry <meta name="yipin-members">, the address of api/v1/members.json)
// has its members' case pages in its own index (yipin/search/text.py). A member that
// publishes no search text (before Yipin 0.4) is searched through its own Pagefind bundle,
// merged in the reader's browser; if that does not answer (offline, no CORS header, another
// Pagefind version) it is left out, and named by missingMembers() (as members.json gives it).
export async function missingMembers() {
  await pagefind();
  return [...missing].sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
}

// The member site a result comes from (a portal's member, else undefined).
export function memberOf(url) {
  return listed.find((member) => url.startsWith(member.url));
}

function memberIndexes() {
  members ??= loadMembers().catch(() => ({ listed: [], reachable: [], missing: [] }));
  return members;
}

async function loadMembers() {
  const link = document.querySelector('meta[name="yipin-members"]');
  if (!link) return { listed: [], reachable: [], missing: [] };
  const list = await fetchJson(link.content);
  const listed = (list.members ?? []).filter((member) => isWeb(member.url));
  const sites = listed.filter((member) => member.indexed !== true && isWeb(member.search));
  if (!sites.length) return { listed, reachable: [], missing: [] };
  const own = await fetchJson(siteUrl("pagefind/pagefind-entry.json"));
  const answers = await Promise.all(sites.map((member) => fetchJson(new URL("pagefind-entry.json", member.search).href)
    .then((entry) => entry.version === own.version, () => false)));
  return { listed, reachable: sites.filter((member, i) => answers[i]), missing: sites.filter((member, i) => !answers[i]) };
}

async function fetchJson(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(MEMBER_TIMEOUT), credentials: "omit" });
  if (!response.ok) throw new Error(`${response.status}`);
  return response.json();
}

// Only http(s) addresses from another site become links or are loaded.
export function isWeb(url) {
  try {
    return ["http:", "https:"].includes(new URL(url, location.href).protocol);
  } catch {
    return false;
  }
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

// Pagefind's excerpt is HTML: its own <mark>s around the text, in which the indexer escaped
// < and > but not &. On a portal the text comes from other sites' indexes, so nothing of it
// is trusted as markup: every piece between the <mark>s is escaped anew, the way it reads.
export function excerptHtml(excerpt) {
  return String(excerpt ?? "").split(/(<\/?mark>)/u)
    .map((part, i) => (i % 2 ? part : escapeHtml(part.replace(/&lt;/gu, "<").replace(/&gt;/gu, ">"))))
    .join("");
}
