"""Yipin's benchmarks: speed and size measured on this machine, not guessed.

    python scripts/benchmark.py scale [--sizes 500 5000] [--work DIR] [--json FILE]

scale   A synthetic but valid corpus recombined from the sample content (every case a
        sample case moved to a new, unique community, street, district and city, with a
        unique brand), built exactly as `yipin build` builds: first from nothing (no
        caches), then again after one record is edited, as a CI run or a preview does with
        the caches of the build before. Reports the build time by stage, the Pagefind index
        on disk, page sizes, and in headless Chromium what a first search downloads and how
        long it takes until the first result shows.

    python scripts/benchmark.py images [--photos 40] [--workers 2] [--warm 5000] [--json FILE]

images  Camera-like 12 MP JPEGs made on the spot (noise and gradients, GPS, one in four
        turned by EXIF): seconds per photo for the full variant set with naive Pillow (full
        decode, every width resized from the full picture), Yipin's tuned Pillow encoder,
        and libvips through pyvips as a yardstick (pyvips-binary: installed for this only,
        never a dependency of Yipin), in one process and with N workers; then the warm
        no-change check of 5,000 cached images, as a rebuild does it.

    python scripts/benchmark.py portal [--members 40] [--cases 125] [--work DIR] [--json FILE]

portal  The synthetic corpus of members × cases, sorted by region and cut into member sites
        of ``--cases`` each (as district sites are), each built as its own site with its own
        site_url and served with CORS on a loopback port of its own, by another process; a
        portal with one case of its own lists them. Reports the portal's build from nothing
        and its rebuild with the members unchanged (conditional requests), with what it
        fetched; in headless Chromium the first search of the library across every member
        (bytes until the first result, by kind and site, and the time), and the same for one
        site built from the whole corpus, side by side. Chromium reaches only 127.0.0.1.

    python scripts/benchmark.py book [--sizes 200] [--work DIR] [--json FILE]

book    `yipin book` of the whole synthetic corpus of N cases, run as staff run it (its
        own process, the image cache warm from a first run): seconds, pages, bytes.

Each subcommand is one function registered in `_parser()`.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import io
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # tests/browser.py, run from anywhere (Yipin itself is installed)

import yaml  # noqa: E402

from yipin.content.reader import read_document  # noqa: E402

# --- the synthetic corpus -----------------------------------------------------------------

PROVINCES = ("河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省",
             "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省",
             "甘肃省", "青海省", "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区",
             "新疆维吾尔自治区", "北京市", "天津市", "上海市", "重庆市")
# Characters common in Chinese place names; two of them make a name (13,000 pairs).
NAME_CHARS = ("安宁平和新兴东西南北江河山湖阳华长永德泰福丰龙凤金石桥港清明光春秋云海林溪源泉城乡"
              "峰岭川田园松竹梅兰桂荷玉宝康乐顺昌盛富贵吉祥瑞丽景秀怡嘉惠仁义礼信忠孝文武建民"
              "利通达远广益星月辰晨曦旭夏冬雪霞虹彩锦绣翠碧竹桃李杏柳杨槐枫莲芳")
CASES_PER = {"city": 20, "district": 8, "street": 3}   # cases per city, district and street
DRAFT_EVERY = 50                                       # one draft in 50 cases, as in real content


def sample_cases() -> list[dict[str, Any]]:
    """The published sample records as plain data (the project's own YAML reader)."""
    records = []
    for path in sorted((REPO / "content" / "cases").glob("*.yaml")):
        doc, errors = read_document(path)
        if not errors and doc.data.get("status", "published") == "published":
            records.append({**doc.data, "id": path.stem})
    return records


def unique_names(rng: random.Random, count: int) -> Iterator[str]:
    pairs = sorted({a + b for a in NAME_CHARS for b in NAME_CHARS if a != b})
    if count > len(pairs):
        raise SystemExit(f"at most {len(pairs)} places of one kind")
    yield from rng.sample(pairs, count)


def regions(n: int, rng: random.Random) -> list[dict[str, str]]:
    """One region per case: a tree of unique cities, districts, streets and communities."""
    sizes = {level: max(1, n // per) for level, per in CASES_PER.items()}
    names = unique_names(rng, sum(sizes.values()) + n)
    cities = [(PROVINCES[i % len(PROVINCES)], next(names) + "市") for i in range(sizes["city"])]
    districts = [(*cities[i % len(cities)], next(names) + ("区" if i % 3 else "县")) for i in range(sizes["district"])]
    streets = [(*districts[i % len(districts)], next(names) + ("街道" if i % 4 else "镇"))
               for i in range(sizes["street"])]
    return [dict(zip(("province", "city", "district", "street", "community"),
                     (*streets[i % len(streets)], next(names) + "社区"), strict=True)) for i in range(n)]


def _replace(value: Any, swaps: list[tuple[str, str]]) -> Any:
    if isinstance(value, str):
        for old, new in swaps:
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_replace(v, swaps) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, swaps) for k, v in value.items()}
    return value


def synthetic_case(base: dict[str, Any], place: dict[str, str], index: int, rng: random.Random) -> dict[str, Any]:
    """A sample case moved to ``place``: its names replaced everywhere in its text."""
    old = base["community"]["region"]
    kind = base["community"]["kind"]
    community = {"district": place["district"], "street": place["street"]}.get(kind, place["community"])
    swaps = [(base["community"]["name"], community), (old.get("street") or "\0", place["street"]),
             (old["district"], place["district"]), (old["city"], place["city"]), (old["province"], place["province"]),
             (base["community"]["name"].removesuffix("社区"), community[:2])]
    case = _replace(base, sorted(swaps, key=lambda s: -len(s[0])))
    case["id"] = f"c{index:05d}-{base['id'].split('-')[-1]}"
    case["status"] = "draft" if index % DRAFT_EVERY == DRAFT_EVERY - 1 else "published"
    region = {k: place[k] for k in ("province", "city", "district")}
    if kind != "district":
        region["street"] = place["street"]
    case["community"] = {**case["community"], "name": community, "region": region}
    tag = place["community"][:2]  # unique to this case, so the brand is unique too
    if tag not in case["brand"]["name"]:
        case["brand"]["name"] = f"{tag}·{case['brand']['name']}"
    case["brand"]["launched"] = f"{rng.randrange(2012, 2026)}-{rng.randrange(1, 13):02d}"
    case["updated"] = f"{rng.randrange(2022, 2027)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    return case


def write_corpus(n: int, work: Path, seed: int = 6) -> Path:
    rng = random.Random(seed)
    content = work / "content"
    shutil.rmtree(content, ignore_errors=True)
    (content / "cases").mkdir(parents=True)
    shutil.copy(REPO / "content" / "taxonomy.yaml", content / "taxonomy.yaml")
    if (REPO / "content" / "images").is_dir():
        shutil.copytree(REPO / "content" / "images", content / "images")
    bases = sample_cases()
    brands: set[str] = set()
    for index, place in enumerate(regions(n, rng)):
        case = synthetic_case(bases[index % len(bases)], place, index, rng)
        assert case["brand"]["name"] not in brands, case["brand"]["name"]
        brands.add(case["brand"]["name"])
        text = yaml.safe_dump(case, allow_unicode=True, sort_keys=False, width=1000)
        (content / "cases" / f"{case['id']}.yaml").write_text(text, encoding="utf-8")
    return content


def write_config(work: Path) -> Path:
    """The repository's mkdocs.yml, pointed at the synthetic content."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace(": docs\n", f": {REPO / 'docs'}\n")
    text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("featured:")) + "\n"
    config = work / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def edit_one_record(content: Path) -> None:
    """What a rebuild usually follows: one case's text corrected (no date changed)."""
    files = sorted((content / "cases").glob("*.yaml"))
    path = files[len(files) // 2]
    path.write_text(path.read_text(encoding="utf-8").replace("summary: ", "summary: （修订）", 1), encoding="utf-8")


# --- timing the build by stage ------------------------------------------------------------

# Functions wrapped while `yipin build` runs: (stage, module, attribute). A stage missing from
# this checkout is skipped. MkDocs is the rest of the wall time.
TIMED = (
    ("validation", "yipin.build.pipeline", "validate_content"),  # both runs below
    ("check", "yipin.commands.build", "check_site"),             # `yipin build` checks first
    ("pipeline", "yipin.plugin", "build_site"),                  # validation + images + page generation
    ("images", "yipin.build.pipeline", "prepare_images"),        # image variants (cache or pool)
    ("network", "yipin.build.pipeline", "read_network"),         # a portal's members' files (HTTP)
    ("search text", "yipin.plugin", "simplified_variants"),      # per page, in MkDocs' loop
    ("pagefind", "yipin.plugin", "index_built"),                 # search text (api/v1/search.json) + Pagefind
)


@contextlib.contextmanager
def timed_stages() -> Iterator[dict[str, float]]:
    spent: dict[str, float] = defaultdict(float)
    restore: list[tuple[Any, str, Callable[..., Any]]] = []

    def wrap(stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - started
        return timed

    for stage, module_name, attribute in TIMED:
        module = importlib.import_module(module_name)
        if hasattr(module, attribute):
            restore.append((module, attribute, getattr(module, attribute)))
            setattr(module, attribute, wrap(f"{stage}@{module_name}", getattr(module, attribute)))
    try:
        yield spent
    finally:
        for module, attribute, function in restore:
            setattr(module, attribute, function)


def timed_build(config: Path) -> dict[str, float]:
    from yipin.commands.build import run_build

    with timed_stages() as spent:
        started = time.perf_counter()
        if run_build(argparse.Namespace(config_file=config)) != 0:
            raise SystemExit("the synthetic site did not build")
        total = time.perf_counter() - started
    validation = spent["validation@yipin.build.pipeline"]
    images = spent["images@yipin.build.pipeline"]
    network = spent["network@yipin.build.pipeline"]
    inside = validation - spent["check@yipin.commands.build"]   # the plugin's own run: none after the check
    pages = spent["pipeline@yipin.plugin"] - inside - images - network
    ours = validation + pages + spent["search text@yipin.plugin"]
    pagefind = spent["pagefind@yipin.plugin"]
    return {"validation": validation, "network": network, "page generation": pages,
            "search text": spent["search text@yipin.plugin"], "images": images,
            "MkDocs": total - ours - images - network - pagefind, "Pagefind": pagefind, "total": total, "ours": ours}


# --- sizes on disk ------------------------------------------------------------------------

def folder_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def page_sizes(site: Path) -> dict[str, int]:
    cases = [p.stat().st_size for p in (site / "cases").glob("*/index.html")]
    return {"case page max": max(cases), "case page median": sorted(cases)[len(cases) // 2],
            "library page": (site / "cases" / "index.html").stat().st_size}


# --- the first search in Chromium ---------------------------------------------------------

QUERY = "独居老人"


def _transfer(requests: list[Any], since: float = 0.0) -> dict[str, int]:
    """Bytes on the wire (headers + encoded body) by kind: search files or the page itself."""
    totals: dict[str, int] = defaultdict(int)
    for request, at in requests:
        if at < since or request.failure:
            continue
        sizes = request.sizes()
        size = sizes["responseHeadersSize"] + max(sizes["responseBodySize"], 0)
        kind = "search" if "/pagefind/" in request.url or "/vendor/" in request.url else "page"
        totals[kind] += size
        totals[f"{kind}:{Path(request.url.split('?')[0]).suffix or '/'}"] += size
    return dict(totals)


SEARCH_RUNS = 9  # one page load varies by ±20 % on a shared 2-core machine
# Chromium resolves no host name at all: whatever a page names, it loads nothing but from 127.0.0.1.
LOOPBACK_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@contextlib.contextmanager
def loopback_browser() -> Iterator[Any]:
    """Debian's Chromium as tests/browser.py starts it, unable to reach beyond 127.0.0.1."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path(), args=[*CHROMIUM_ARGS, LOOPBACK_ONLY])
        try:
            yield instance
        finally:
            instance.close()


def first_search(site: Path, runs: int = SEARCH_RUNS) -> dict[str, dict[str, float]]:
    """Each scenario ``runs`` times in a fresh browser context (nothing cached): the median
    time, and the bytes of the first run."""
    from tests.browser import serve

    measured: dict[str, dict[str, float]] = {}
    with serve(site) as base, loopback_browser() as chromium:
        case_page = f"cases/{next((site / 'cases').glob('c0*')).name}/"
        for scenario in ("library", "header"):
            times, transfers = [], []
            for _ in range(runs):
                seconds, transfer = _one_search(chromium, base, scenario, case_page)
                times.append(seconds)
                transfers.append(transfer)
            measured[scenario] = {"seconds": sorted(times)[runs // 2], "all seconds": times, **transfers[0]}
    return measured


# Resolves with performance.now() when ``selector`` first matches: timed in the page, since
# Playwright's own waiting polls at up to 500 ms intervals.
FIRST_MATCH = """selector => { window.__yipinSeen = new Promise(resolve => {
  const seen = () => document.querySelector(selector) && (observer.disconnect(), resolve(performance.now()), true);
  const observer = new MutationObserver(seen);
  observer.observe(document, {subtree: true, childList: true});
  seen();
}); }"""


def _one_search(chromium: Any, base: str, scenario: str, case_page: str,
                log: list[dict[str, Any]] | None = None) -> tuple[float, dict[str, int]]:
    """Seconds until the first result shows and the bytes transferred; every request (its
    address, bytes, and start and end in ms since the page load or the typing began) added to
    ``log`` if given. Any request for another host than 127.0.0.1 is counted as "off loopback"."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    requests: list[tuple[Any, float]] = []
    addresses: list[str] = []
    context.on("request", lambda r: addresses.append(r.url))
    context.on("requestfinished", lambda r: requests.append((r, time.perf_counter())))
    page = context.new_page()
    if scenario == "library":  # the page restores ?q= and searches as soon as it loads
        page.add_init_script(f"({FIRST_MATCH})('[data-yp-results] .yp-card')")
        page.goto(f"{base}cases/?q={QUERY}", wait_until="commit")
        seconds = page.evaluate("window.__yipinSeen") / 1000  # since the navigation started
        since, began = 0.0, None
    else:  # the header box on a case page, typed into once the page has loaded
        page.goto(f"{base}{case_page}", wait_until="load")
        page.evaluate(FIRST_MATCH, ".yp-search__hit")
        started = page.evaluate("performance.now()")
        since, began = time.perf_counter(), time.time() * 1000
        page.locator(".yp-search__input").fill(QUERY)
        seconds = (page.evaluate("window.__yipinSeen") - started) / 1000
    page.wait_for_timeout(300)  # let finished requests report their sizes
    transfer = _transfer(requests, since)
    transfer["off loopback"] = sum(1 for url in addresses
                                   if url.startswith(("http:", "https:", "ws:", "wss:"))
                                   and urlsplit(url).hostname != "127.0.0.1")
    if log is not None:
        log.extend(_timeline(requests, began))
    context.close()
    return seconds, transfer


def _timeline(requests: list[tuple[Any, float]], began: float | None) -> Iterator[dict[str, Any]]:
    """Each finished request: address, bytes on the wire, start and end in ms since ``began``
    (epoch ms; None: the first request's start, the page's navigation)."""
    if began is None:
        began = min((request.timing["startTime"] for request, _ in requests), default=0.0)
    for request, _ in requests:
        timing, sizes = request.timing, request.sizes()
        start = timing["startTime"] - began
        yield {"url": request.url, "bytes": sizes["responseHeadersSize"] + max(sizes["responseBodySize"], 0),
               "start": round(start, 1), "end": round(start + max(timing["responseEnd"], 0), 1)}


# --- the images subcommand ----------------------------------------------------------------

PHOTO_SIZE = (4000, 3000)  # 12 MP, as a phone stores it


def make_photos(folder: Path, n: int) -> list[Path]:
    """``n`` camera-like 12 MP JPEGs with GPS; one in four stored sideways (EXIF orientation 6)."""
    from tests.image_fixtures import camera_jpeg

    photos = [folder / f"photo-{i:02d}.jpg" for i in range(n)]
    for i, path in enumerate(photos):
        if not path.is_file():
            camera_jpeg(path, PHOTO_SIZE, orientation=6 if i % 4 == 3 else 1, seed=i)
    return photos


def naive_pillow(source: Path, out: Path) -> None:
    """The obvious way: decode in full, rotate, resize the full picture for every variant."""
    from PIL import Image, ImageOps

    from yipin.images import RECIPE, plan_widths

    with Image.open(source) as image:
        full = ImageOps.exif_transpose(image).convert("RGB")
    variants = [(str(w), full.resize((w, round(full.height * w / full.width)), Image.Resampling.LANCZOS))
                for w in plan_widths(full.width)]
    variants.append(("thumb", ImageOps.fit(full, (RECIPE.thumb, RECIPE.thumb), Image.Resampling.LANCZOS)))
    for label, variant in variants:
        variant.save(out / f"{label}.webp", quality=RECIPE.webp_quality, method=RECIPE.webp_method)
        variant.save(out / f"{label}.jpg", quality=RECIPE.jpeg_quality, progressive=True)


def tuned_pillow(source: Path, out: Path) -> None:
    """Yipin's own encoder (generator/images/encode.py)."""
    from yipin.images.encode import encode
    from yipin.images.plan import RECIPE

    encode(source, out, RECIPE)


def libvips(source: Path, out: Path) -> None:
    """The yardstick: libvips' shrink-on-load thumbnail, then the same chain and settings."""
    import pyvips

    from yipin.images import RECIPE

    variant = pyvips.Image.thumbnail(str(source), max(RECIPE.widths), height=10**6, size="down").copy_memory()
    for w in sorted(RECIPE.widths, reverse=True):
        if variant.width != w:
            variant = variant.resize(w / variant.width).copy_memory()
        variant.webpsave(str(out / f"{w}.webp"), Q=RECIPE.webp_quality, effort=RECIPE.webp_method, keep="none")
        variant.jpegsave(str(out / f"{w}.jpg"), Q=RECIPE.jpeg_quality, interlace=True, keep="none")
    thumb = variant.thumbnail_image(RECIPE.thumb, height=RECIPE.thumb, crop="centre").copy_memory()
    thumb.webpsave(str(out / "thumb.webp"), Q=RECIPE.webp_quality, effort=RECIPE.webp_method, keep="none")
    thumb.jpegsave(str(out / "thumb.jpg"), Q=RECIPE.jpeg_quality, interlace=True, keep="none")


def _one_photo(job: tuple[Callable[[Path, Path], None], Path, Path]) -> float:
    encoder, source, out = job
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    encoder(source, out)
    return time.perf_counter() - started


def time_encoder(encoder: Callable[[Path, Path], None], photos: list[Path], work: Path, workers: int) -> dict[str, float]:
    """Median seconds per photo in one process, and wall seconds per photo with ``workers``."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    jobs = [(encoder, photo, work / encoder.__name__ / "single" / photo.stem) for photo in photos]
    single = [_one_photo(job) for job in jobs]
    jobs = [(encoder, photo, work / encoder.__name__ / "pool" / photo.stem) for photo in photos]
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
        list(pool.map(_one_photo, jobs))
    pooled = (time.perf_counter() - started) / len(photos)
    return {"single": sorted(single)[len(single) // 2], "pooled": pooled}


def warm_check(work: Path, n: int, runs: int = 3) -> dict[str, float]:
    """``n`` cached images, nothing changed: the checker's and the image stage's time, and
    planning every variant as an output (median of ``runs``)."""
    from PIL import Image

    from yipin.build.outputs import Outputs
    from yipin.images import ImageCache, prepare_images
    from yipin.images.check import ImageChecker

    content, cache = work / "content", work / "cache"
    sources = [f"images/{i // 100:02d}/{i:04d}.jpg" for i in range(n)]
    for i, src in enumerate(sources):
        if not (content / src).is_file():
            (content / src).parent.mkdir(parents=True, exist_ok=True)
            noise = random.Random(i).randbytes(32 * 24 * 3)  # distinct bytes: no two share an entry
            Image.frombytes("RGB", (32, 24), noise).save(content / src, quality=80)
    checker = ImageChecker(ImageCache(cache))
    for src in sources:
        checker.problem(content / src)
    checker.save()
    prepare_images(content, sources, ImageCache(cache))  # cold: fills the cache
    timings: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        started = time.perf_counter()
        checker = ImageChecker(ImageCache(cache))  # one index, read once, as a build does
        problems = [checker.problem(content / src) for src in sources]
        checker.save()
        checked = time.perf_counter()
        media = prepare_images(content, sources, checker.cache)
        prepared = time.perf_counter()
        outputs = Outputs()
        for path, file in media.files():
            outputs.add_file(path, file)
        planned = time.perf_counter()
        assert not any(problems)
        timings["check"].append(checked - started)
        timings["prepare"].append(prepared - checked)
        timings["outputs"].append(planned - prepared)
        timings["total"].append(planned - started)
    return {key: sorted(values)[runs // 2] for key, values in timings.items()} | {"outputs planned": len(outputs)}


def images(args: argparse.Namespace) -> int:
    os.environ["VIPS_CONCURRENCY"] = "1"  # libvips threads: one core per worker, like Pillow
    work = Path(args.work or tempfile.mkdtemp(prefix="yipin-images-"))
    started = time.perf_counter()
    photos = make_photos(work / "photos", args.photos)
    print(f"{len(photos)} photos ready in {time.perf_counter() - started:.0f} s; timing…", file=sys.stderr, flush=True)
    encoders: list[Callable[[Path, Path], None]] = [naive_pillow, tuned_pillow]
    try:
        import pyvips  # noqa: F401  (a yardstick only: pip install pyvips-binary pyvips)
        encoders.append(libvips)
    except ImportError:
        print("pyvips is not installed: no libvips yardstick (pip install pyvips-binary pyvips)", file=sys.stderr)
    results: dict[str, Any] = {}
    for encoder in encoders:
        shutil.rmtree(work / encoder.__name__, ignore_errors=True)
        results[encoder.__name__] = time_encoder(encoder, photos, work / encoder.__name__, args.workers)
        print(f"{encoder.__name__}: {results[encoder.__name__]}", file=sys.stderr, flush=True)
    results["warm"] = warm_check(work / "warm", args.warm)
    return finish(images_report(results, args), results, args, work)


def finish(table: str, results: dict[Any, Any], args: argparse.Namespace, work: Path) -> int:
    """Print the table and the machine's load, keep the JSON if asked, remove the work folder
    unless --work named it."""
    print(table)
    print(f"\nload average when done: {' / '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def images_report(results: dict[str, Any], args: argparse.Namespace) -> str:
    names = [n for n in ("naive_pillow", "tuned_pillow", "libvips") if n in results]
    lines = ["| s per photo (480/960/1600 WebP + JPEG + thumbnail) | " + " | ".join(names) + " |",
             "|---" * (len(names) + 1) + "|",
             "| 1 process, median | " + " | ".join(f"{results[n]['single']:.2f}" for n in names) + " |",
             f"| {args.workers} workers, wall time / photos | "
             + " | ".join(f"{results[n]['pooled']:.2f}" for n in names) + " |"]
    if "libvips" in results:
        ratio = results["tuned_pillow"]["single"] / results["libvips"]["single"]
        lines.append(f"\ntuned Pillow / libvips, 1 process: {ratio:.2f} (target ≤ 1.1)")
    warm = results["warm"]
    lines.append(f"warm no-change check of {args.warm:,} cached images: {warm['total']:.2f} s (target < 1 s) = "
                 f"checker {warm['check']:.2f} s + image stage {warm['prepare']:.2f} s + "
                 f"{warm['outputs planned']:,} outputs planned {warm['outputs']:.2f} s")
    return "\n".join(lines)


# --- the scale subcommand -----------------------------------------------------------------

def scale(args: argparse.Namespace) -> int:
    work_root = Path(args.work or tempfile.mkdtemp(prefix="yipin-bench-"))
    rows = {}
    for n in args.sizes:
        work = work_root / f"n{n}"
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        write_corpus(n, work)
        print(f"[{n}] corpus written in {time.perf_counter() - started:.1f} s; building…", file=sys.stderr, flush=True)
        shutil.rmtree(work / ".yipin-cache", ignore_errors=True)  # the first build starts from nothing
        config = write_config(work)
        stages = timed_build(config)
        site = work / "site"
        index_bytes, index_files = folder_bytes(site / "pagefind")
        site_bytes, site_files = folder_bytes(site)
        rows[n] = {"stages": stages, "index_bytes": index_bytes, "index_files": index_files,
                   "site_bytes": site_bytes, "site_files": site_files, "pages": page_sizes(site),
                   "search": first_search(site)}
        print(f"[{n}] built in {stages['total']:.0f} s; one record edited, rebuilding…", file=sys.stderr, flush=True)
        edit_one_record(work / "content")
        rows[n]["rebuild"] = timed_build(config)
    return finish(report(rows), rows, args, work_root)


def report(rows: dict[int, dict[str, Any]]) -> str:
    sizes = list(rows)
    kb = lambda b: f"{b / 1024:,.0f} KB"  # noqa: E731
    lines = ["| | " + " | ".join(f"{n:,} cases" for n in sizes) + " |", "|---" * (len(sizes) + 1) + "|"]

    def row(label: str, cell: Callable[[dict[str, Any]], str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cell(rows[n]) for n in sizes) + " |")

    for stage in ("validation", "page generation", "search text", "MkDocs", "Pagefind", "total"):
        row(f"build / rebuild: {stage}", lambda r, s=stage: f"{r['stages'][s]:.1f} s / {r['rebuild'][s]:.1f} s")
    share = lambda stages: f"{stages['ours']:.1f} s ({stages['ours'] / stages['total']:.1%})"  # noqa: E731
    row("build / rebuild: ours (validation + pages + search text)",
        lambda r: f"{share(r['stages'])} / {share(r['rebuild'])}")
    row("build: images (the sample galleries, cold cache)", lambda r: f"{r['stages']['images']:.1f} s")
    row("Pagefind index on disk", lambda r: f"{r['index_bytes'] / 2**20:.1f} MB in {r['index_files']:,} files")
    row("whole site on disk", lambda r: f"{r['site_bytes'] / 2**20:.0f} MB in {r['site_files']:,} files")
    row("case page HTML (max / median)", lambda r: f"{kb(r['pages']['case page max'])} / {kb(r['pages']['case page median'])}")
    row("library page HTML", lambda r: kb(r["pages"]["library page"]))
    row(f"library /cases/?q={QUERY}: search bytes", lambda r: kb(r["search"]["library"]["search"]))
    row("library: page bytes (HTML, CSS, JS)", lambda r: kb(r["search"]["library"]["page"]))
    row(f"library: page load → first result (median of {SEARCH_RUNS})", lambda r: f"{r['search']['library']['seconds']:.2f} s")
    row(f"header box on a case page, “{QUERY}”: bytes", lambda r: kb(r["search"]["header"]["search"]))
    row(f"header: typing → first result (median of {SEARCH_RUNS})", lambda r: f"{r['search']['header']['seconds']:.2f} s")
    return "\n".join(lines)


# --- the portal subcommand ---------------------------------------------------------------

BUILD_RUNS = 3  # the portal's builds from nothing, and its rebuilds: the median of these


def split_corpus(content: Path, work: Path, members: int, per: int, seed: int = 6) -> list[Path]:
    """The corpus write_corpus(members × per, …, seed) wrote, sorted by region (province, city,
    district, street) and cut into ``members`` content folders of ``per`` cases, each with the
    taxonomy and the sample images the cases show."""
    places = regions(members * per, random.Random(seed))  # write_corpus draws the same places first
    files = {int(path.name[1:6]): path for path in (content / "cases").glob("c*.yaml")}
    order = sorted(files, key=lambda i: (*(places[i][k] for k in ("province", "city", "district", "street")), i))
    folders = []
    for m in range(members):
        folder = work / f"member-{m:02d}" / "content"
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "cases").mkdir(parents=True)
        shutil.copy(content / "taxonomy.yaml", folder / "taxonomy.yaml")
        if (content / "images").is_dir():
            shutil.copytree(content / "images", folder / "images")
        for i in order[m * per:(m + 1) * per]:
            shutil.copy(files[i], folder / "cases" / files[i].name)
        folders.append(folder)
    return folders


def site_config(work: Path, url: str, name: str, **plugin: Any) -> Path:
    """write_config's mkdocs.yml for the site ``name`` published at ``url``, with more
    options for the yipin plugin (``members`` for a portal)."""
    config = write_config(work)
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("site_name:"):
            lines[i] = f"site_name: {json.dumps(name, ensure_ascii=False)}\n"
        elif line.startswith("site_url:"):
            lines[i] = f"site_url: {url}\n"
        elif line == "  - yipin:\n":
            lines[i] += "".join(f"      {k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in plugin.items())
    config.write_text("".join(lines), encoding="utf-8")
    return config


def _serve(folders: list[tuple[str, bool]], pipe: Any) -> None:
    """The servers' process: each folder on a loopback port of its own until the pipe says stop."""
    from tests.browser import Server

    def handle_error(request: Any, address: Any, print_error: Callable[..., None]) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a context closed while loading: no matter
            print_error(request, address)

    servers = [Server(Path(folder), cors=cors) for folder, cors in folders]
    for server in servers:
        server.server.handle_error = functools.partial(handle_error, print_error=server.server.handle_error)
    pipe.send([server.url for server in servers])
    pipe.recv()
    for server in servers:
        server.stop()


@contextlib.contextmanager
def served(folders: list[tuple[Path, bool]]) -> Iterator[list[str]]:
    """Each (folder, cors) served by tests/browser.py's server on a port of its own, in another
    process, as other machines would serve them: the builds and Playwright here do not slow
    the servers down, nor they the builds. A folder may be built (replaced) while served."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=([(str(f), cors) for f, cors in folders], theirs), daemon=True)
    process.start()
    try:
        yield ours.recv()
    finally:
        ours.send("stop")
        process.join(10)
        if process.is_alive():
            process.kill()


@contextlib.contextmanager
def counted_fetches() -> Iterator[dict[str, int]]:
    """What a build's requests for members' files got: requests, answers "unchanged" (304),
    failures, and the bytes of the bodies (decoded: Yipin asks for no compression)."""
    import threading

    from yipin.network import members

    counts: dict[str, int] = {"requests": 0, "unchanged": 0, "failed": 0, "bytes": 0}
    lock, fetch = threading.Lock(), members.fetch

    def counted(url: str, **kwargs: Any) -> Any:
        answer = fetch(url, **kwargs)
        with lock:
            counts["requests"] += 1
            counts["unchanged"] += answer.unchanged
            counts["failed"] += bool(answer.problem)
            counts["bytes"] += len(answer.body or b"")
        return answer

    members.fetch = counted
    try:
        yield counts
    finally:
        members.fetch = fetch


def _portal_build(config: Path, urls: list[str]) -> dict[str, Any]:
    """One timed build of the portal, and what it fetched; every member must have been read now."""
    with counted_fetches() as fetched:
        stages = timed_build(config)
    listed = json.loads((config.parent / "site" / "api/v1/members.json").read_text(encoding="utf-8"))["members"]
    stale = [m["url"] for m in listed if not m["current"]]
    if [m["url"] for m in listed] != urls or stale or fetched["failed"]:
        raise SystemExit(f"the portal did not read every member: {len(listed)} listed, stale {stale}, {fetched}")
    return {**stages, "fetched": fetched}


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each number's median over ``runs`` (a dict's numbers too), with every run kept."""
    first = runs[0]
    median: dict[str, Any] = {key: _median([run[key] for run in runs]) if isinstance(value, dict)
                              else sorted(run[key] for run in runs)[len(runs) // 2] for key, value in first.items()}
    return median | ({"runs": len(runs), "all total": [run["total"] for run in runs]} if "total" in first else {})


SEARCH_KINDS = ("members.json", "pagefind-entry.json", "Pagefind JS + wasm", "pf_meta", "pf_index", "pf_filter",
                "pf_fragment", "OpenCC")


def _kind(url: str) -> str:
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    if name in ("pagefind-entry.json", "members.json"):
        return name
    if name.endswith(".pf_meta"):
        return "pf_meta"
    for folder in ("index", "filter", "fragment"):
        if f"/pagefind/{folder}/" in path:
            return f"pf_{folder}"
    if "/pagefind/" in path:
        return "Pagefind JS + wasm"
    if "/vendor/" in path:
        return "OpenCC"
    return {"": "HTML", ".html": "HTML", ".css": "CSS", ".js": "JS"}.get(Path(name).suffix, "images, fonts")


def _by_kind(log: list[dict[str, Any]], base: str, until: float) -> dict[str, dict[str, float]]:
    """The requests done by ``until`` ms, by the site they went to (the page's own or a
    member's) and kind: how many, bytes, the first start and the last end (ms)."""
    kinds: dict[str, dict[str, float]] = {}
    for request in sorted(log, key=lambda r: r["start"]):
        if request["start"] < 0 or request["end"] > until:
            continue
        key = f"{'own' if request['url'].startswith(base) else 'members'} {_kind(request['url'])}"
        kind = kinds.setdefault(key, {"requests": 0, "bytes": 0, "from": request["start"], "until": 0.0})
        kind["requests"] += 1
        kind["bytes"] += request["bytes"]
        kind["until"] = max(kind["until"], request["end"])
    return kinds


def search_runs(chromium: Any, base: str, case_page: str, runs: int) -> dict[str, dict[str, Any]]:
    """first_search's scenarios on a site served at ``base``: the median run's time, bytes
    (as _transfer counts them, and until the first result by kind) and requests."""
    measured: dict[str, dict[str, Any]] = {}
    for scenario in ("library", "header"):
        done = []
        for _ in range(runs):
            log: list[dict[str, Any]] = []
            seconds, transfer = _one_search(chromium, base, scenario, case_page, log)
            done.append((seconds, transfer, log))
        seconds, transfer, log = sorted(done, key=lambda run: run[0])[runs // 2]
        kinds = _by_kind(log, base, seconds * 1000)
        measured[scenario] = {
            "seconds": seconds, "all seconds": [run[0] for run in done], **transfer,
            "off loopback": sum(run[1]["off loopback"] for run in done),
            "until first": {"bytes": sum(k["bytes"] for k in kinds.values()),
                            "requests": sum(k["requests"] for k in kinds.values()),
                            "search bytes": sum(k["bytes"] for key, k in kinds.items()
                                                if key.split(" ", 1)[1] in SEARCH_KINDS),
                            "kinds": kinds},
            "log": log}
    return measured


def portal(args: argparse.Namespace) -> int:
    work = Path(args.work or tempfile.mkdtemp(prefix="yipin-portal-"))
    total = args.members * args.cases
    started = time.perf_counter()
    corpus = work / "single"
    corpus.mkdir(parents=True, exist_ok=True)
    content = write_corpus(total, corpus)
    members = split_corpus(content, work, args.members, args.cases)
    shutil.rmtree(work / "portal" / "content", ignore_errors=True)
    shutil.copytree(REPO / "tests" / "fixtures" / "content", work / "portal" / "content")
    print(f"{total:,} cases written in {time.perf_counter() - started:.0f} s, {args.members} members of "
          f"{args.cases}; serving and building the members…", file=sys.stderr, flush=True)
    folders = [*(m.parent for m in members), work / "portal", corpus]
    for folder in folders:
        (folder / "site").mkdir(exist_ok=True)
        shutil.rmtree(folder / ".yipin-cache", ignore_errors=True)
    results: dict[str, Any] = {"members": args.members, "cases per member": args.cases}
    with served([(folder / "site", folder.name.startswith("member-")) for folder in folders]) as urls:
        *member_urls, portal_url, single_url = urls
        started = time.perf_counter()
        for i, (folder, url) in enumerate(zip((m.parent for m in members), member_urls, strict=True)):
            said = io.StringIO()  # "网站已生成…" forty times, unless a build fails
            try:
                with contextlib.redirect_stderr(said):
                    timed_build(site_config(folder, url, f"成员网站 {i + 1:02d}"))
            except BaseException:
                print(said.getvalue(), end="", file=sys.stderr)
                raise
            print(f"member {i + 1}/{args.members} built at {url} ({time.perf_counter() - started:.0f} s)",
                  file=sys.stderr, flush=True)
        results["member builds"] = time.perf_counter() - started

        config = site_config(work / "portal", portal_url, "门户（基准）", members=[{"url": url} for url in member_urls])
        cold, warm = [], []
        for run in range(args.builds):
            shutil.rmtree(work / "portal" / ".yipin-cache", ignore_errors=True)  # from nothing
            cold.append(_portal_build(config, member_urls))
            warm.append(_portal_build(config, member_urls))  # members unchanged: conditional requests
            print(f"portal build {run + 1}/{args.builds}: {cold[-1]['total']:.1f} s from nothing, "
                  f"{warm[-1]['total']:.1f} s rebuilt", file=sys.stderr, flush=True)
        listed = json.loads((work / "portal" / "site" / "api/v1/site.json").read_text(encoding="utf-8"))
        results["portal"] = {"build": _median(cold), "rebuild": _median(warm), "cases": listed["counts"]["cases"],
                             "site bytes": folder_bytes(work / "portal" / "site")[0]}

        print(f"building one site of {total:,} cases…", file=sys.stderr, flush=True)
        config = site_config(corpus, single_url, f"一个网站 {total} 个案例")
        single_cold = timed_build(config)
        single_warm = timed_build(config)
        listed = json.loads((corpus / "site" / "api/v1/site.json").read_text(encoding="utf-8"))
        results["single"] = {"build": _median([single_cold]), "rebuild": _median([single_warm]),
                             "cases": listed["counts"]["cases"], "site bytes": folder_bytes(corpus / "site")[0]}

        print(f"searching in Chromium, {args.searches} runs of each…", file=sys.stderr, flush=True)
        with loopback_browser() as chromium:
            results["portal"]["search"] = search_runs(chromium, portal_url, "cases/base/", args.searches)
            case_page = f"cases/{next((corpus / 'site' / 'cases').glob('c0*')).name}/"
            results["single"]["search"] = search_runs(chromium, single_url, case_page, args.searches)
    return finish(portal_report(results, args), results, args, work)


def portal_report(results: dict[str, Any], args: argparse.Namespace) -> str:
    sites = {"portal": f"portal of {args.members} × {args.cases} cases", "single": f"one site of {results['members'] * args.cases:,} cases"}
    kb = lambda b: f"{b / 1024:,.0f} KB"  # noqa: E731
    lines = ["| | " + " | ".join(sites.values()) + " |", "|---" * (len(sites) + 1) + "|"]

    def row(label: str, cell: Callable[[dict[str, Any]], str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cell(results[site]) for site in sites) + " |")

    def runs(r: dict[str, Any]) -> str:
        return f"median of {r['runs']}" if r["runs"] > 1 else "1 run"

    for build in ("build", "rebuild"):
        what = "build from nothing (no .yipin-cache)" if build == "build" else "rebuild, nothing changed"
        row(f"{what}: total", lambda r, b=build: f"{r[b]['total']:.1f} s ({runs(r[b])}: "
            + ", ".join(f"{t:.1f}" for t in r[b]["all total"]) + ")")
        row(f"{what}: reading members / page generation / MkDocs / Pagefind",
            lambda r, b=build: " / ".join(f"{r[b][s]:.1f} s" for s in ("network", "page generation", "MkDocs", "Pagefind")))
    fetched = lambda f: f"{f['requests']} requests, {f['unchanged']} unchanged (304), {f['bytes'] / 2**20:.1f} MB"  # noqa: E731
    lines.append(f"| members' files fetched by the build / the rebuild | {fetched(results['portal']['build']['fetched'])} / "
                 f"{fetched(results['portal']['rebuild']['fetched'])} | – |")
    row("cases listed (api/v1/site.json)", lambda r: f"{r['cases']:,}")
    row("site on disk", lambda r: f"{r['site bytes'] / 2**20:.0f} MB")
    for scenario, label in (("library", f"library /cases/?q={QUERY}"), ("header", f"header box, “{QUERY}”")):
        row(f"{label}: search bytes (as `scale` counts them)", lambda r, s=scenario: kb(r["search"][s]["search"]))
        row(f"{label}: search bytes until the first result",
            lambda r, s=scenario: kb(r["search"][s]["until first"]["search bytes"]))
        row(f"{label}: all bytes until the first result",
            lambda r, s=scenario: f"{kb(r['search'][s]['until first']['bytes'])} in {r['search'][s]['until first']['requests']} requests")
        row(f"{label}: {'page load' if scenario == 'library' else 'typing'} → first result (median of {args.searches})",
            lambda r, s=scenario: f"{r['search'][s]['seconds']:.2f} s (" + "–".join(
                f"{t:.2f}" for t in (min(r["search"][s]["all seconds"]), max(r["search"][s]["all seconds"]))) + ")")
    row("requests beyond 127.0.0.1, every run", lambda r: str(sum(r["search"][s]["off loopback"] for s in ("library", "header"))))
    for site, label in sites.items():
        kinds = results[site]["search"]["library"]["until first"]["kinds"]
        lines += ["", f"{label}, library: the requests done by the first result (the median run)", "",
                  "| site · kind | requests | bytes | from | until |", "|---|---|---|---|---|"]
        lines += [f"| {key} | {k['requests']} | {kb(k['bytes'])} | {k['from']:.0f} ms | {k['until']:.0f} ms |"
                  for key, k in sorted(kinds.items(), key=lambda item: item[1]["from"])]
    return "\n".join(lines)


def book(args: argparse.Namespace) -> int:
    import subprocess

    import pypdf  # a test dependency

    work_root = Path(args.work or tempfile.mkdtemp(prefix="yipin-bench-"))
    rows: dict[int, dict[str, Any]] = {}
    for n in args.sizes:
        work = work_root / f"n{n}"
        work.mkdir(parents=True, exist_ok=True)
        content = write_corpus(n, work)
        out = work / "book.pdf"
        command = [sys.executable, "-m", "yipin", "book", "--content", str(content), "--out", str(out)]
        subprocess.run(command, check=True, capture_output=True)   # the images, once
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        rows[n] = {"seconds": time.perf_counter() - started, "pages": len(pypdf.PdfReader(out).pages),
                   "bytes": out.stat().st_size}
        print(f"[{n}] book in {rows[n]['seconds']:.1f} s", file=sys.stderr, flush=True)
    lines = ["| cases | seconds | pages | size |", "|---|---|---|---|"]
    lines += [f"| {n} | {r['seconds']:.1f} | {r['pages']} | {r['bytes'] / 1e6:.1f} MB |" for n, r in rows.items()]
    return finish("\n".join(lines), rows, args, work_root)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="benchmark.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(title="benchmarks", metavar="BENCHMARK", required=True)
    sub = commands.add_parser("scale", help="build a synthetic corpus of N cases; time, sizes, first search")
    sub.add_argument("--sizes", type=int, nargs="+", default=[500, 5000], help="corpus sizes (default: 500 5000)")
    sub.add_argument("--work", help="keep the corpora and sites in this folder (default: a temporary one, removed)")
    sub.add_argument("--json", help="also write the measurements to this JSON file")
    sub.set_defaults(run=scale)
    sub = commands.add_parser("images", help="12 MP photos: naive vs tuned Pillow vs libvips; warm cache check")
    sub.add_argument("--photos", type=int, default=40, help="camera-like photos to generate (default: 40)")
    sub.add_argument("--workers", type=int, default=2, help="worker processes for the parallel run (default: 2)")
    sub.add_argument("--warm", type=int, default=5000, help="cached images for the warm check (default: 5000)")
    sub.add_argument("--work", help="keep photos and outputs in this folder (default: a temporary one, removed)")
    sub.add_argument("--json", help="also write the measurements to this JSON file")
    sub.set_defaults(run=images)
    sub = commands.add_parser("portal", help="members built and served on loopback, a portal over them; build, search")
    sub.add_argument("--members", type=int, default=40, help="member sites (default: 40)")
    sub.add_argument("--cases", type=int, default=125, help="cases per member site (default: 125)")
    sub.add_argument("--builds", type=int, default=BUILD_RUNS,
                     help=f"portal builds from nothing, and rebuilds (default: {BUILD_RUNS})")
    sub.add_argument("--searches", type=int, default=SEARCH_RUNS,
                     help=f"first searches in a fresh browser context, per site and scenario (default: {SEARCH_RUNS})")
    sub.add_argument("--work", help="keep the corpus, members, portal and sites in this folder "
                     "(default: a temporary one, removed)")
    sub.add_argument("--json", help="also write the measurements to this JSON file")
    sub.set_defaults(run=portal)
    sub = commands.add_parser("book", help="yipin book of a synthetic corpus of N cases: time, pages, size")
    sub.add_argument("--sizes", type=int, nargs="+", default=[200], help="corpus sizes (default: 200)")
    sub.add_argument("--work", help="keep the corpora and books in this folder (default: a temporary one, removed)")
    sub.add_argument("--json", help="also write the measurements to this JSON file")
    sub.set_defaults(run=book)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
