// Writes a built site's Pagefind index through Pagefind's Node API (yipin/search/index.py runs
// it): the site's own pages, as the pagefind command would, and a portal's members' case pages
// under their own addresses, which the command cannot take since they are not files here.
//
// stdin, JSON: {"pagefind": "<the pagefind package's lib/index.js>", "site": "<folder>",
//               "exclude": ["<selector>", ...], "pages": [{"url": "...", "html": "..."}, ...]}
// stdout, JSON: {"pages": <own pages indexed>, "skipped": ["<member page address>", ...]}
import { pathToFileURL } from "node:url";

const BATCH = 200; // member pages handed to Pagefind's service at a time

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const pagefind = await import(pathToFileURL(input.pagefind).href);

function check(errors) {
  if (errors.length) throw new Error(errors.join("\n"));
}

try {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: "zh", excludeSelectors: input.exclude });
  check(errors);
  const own = await index.addDirectory({ path: input.site });
  check(own.errors);
  const skipped = [];
  for (let start = 0; start < input.pages.length; start += BATCH) {
    const batch = input.pages.slice(start, start + BATCH);
    const added = await Promise.all(batch.map((page) => index.addHTMLFile({
      url: page.url, content: `<!DOCTYPE html><html lang="zh"><body>${page.html}</body></html>`,
    })));
    // A member's page Pagefind cannot read is that member's problem, not the portal's build's.
    added.forEach((result, i) => result.errors.length && skipped.push(batch[i].url));
  }
  check((await index.writeFiles({ outputPath: `${input.site}/pagefind` })).errors);
  process.stdout.write(JSON.stringify({ pages: own.page_count, skipped }));
} finally {
  await pagefind.close();
}
