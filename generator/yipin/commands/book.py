"""`yipin book --out FILE.pdf [--street SLUG] [--district SLUG] [--theme 主题] [--cases ID,…]`:
the published cases chosen, as an A4 book (render/book.py). Without a choice, every
published case; the choices narrow each other (a street's cases on one theme)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from yipin.build.pipeline import check_site
from yipin.commands.formats import FORMATS
from yipin.commands.site import config_option, content_option, site_settings
from yipin.content.markdown import Prose
from yipin.errors import ContentErrors, UsageError
from yipin.images import ImageCache, prepare_images
from yipin.render.book import Book, book_data, photos, typeset
from yipin.render.media import Media, image_focus
from yipin.site.derive import CaseView, Place, Site, derive_site
from yipin.utils.files import write_atomic

__all__ = ["add_parser", "chosen_book"]


def add_parser(commands: Any) -> None:
    book = commands.add_parser("book", help="把已发布的案例排成一本 A4 案例汇编（PDF）：封面、目录、每个案例从新的一页开始")
    config_option(book)
    content_option(book)
    book.add_argument("--out", type=Path, required=True, help="写出的 PDF 文件，如 汇编.pdf")
    book.add_argument("--street", metavar="SLUG", help="只收这个街道的案例：街道页面网址里的名字，如 qingcheng-zhouxin")
    book.add_argument("--district", metavar="SLUG", help="只收这个区县的案例：区县页面网址里的名字")
    book.add_argument("--theme", metavar="主题", help="只收有这个主题的案例，如 党建引领")
    book.add_argument("--cases", metavar="ID,…", help="只收这些案例，按写的顺序：用逗号隔开的编号")
    book.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = site_settings(args)
    if args.out.suffix.lower() != ".pdf":
        raise UsageError(f"{args.out} 不是 .pdf 文件：--out 后面写要写出的 PDF 文件名，如 汇编.pdf")
    if not args.out.parent.is_dir():
        raise UsageError(f"文件夹 {args.out.parent} 不存在：请先建好它，或换一个位置")
    try:
        content = check_site(settings)
    except ContentErrors as exc:
        sys.stdout.write(FORMATS["text"](exc.errors))
        return exc.exit_code
    site = derive_site(content, settings)
    book = chosen_book(site, street=args.street, district=args.district, theme=args.theme,
                       ids=args.cases.split(",") if args.cases else None)
    sources = sorted({image.src for case in book.cases for image in photos(case)})
    media = Media(prepare_images(settings.content, sources, ImageCache(settings.image_cache_dir),
                                 settings.image_workers, focus=image_focus(site)))
    data, files = book_data(book, Prose(settings.markdown_extensions, settings.markdown_configs), media,
                            settings.absolute)
    write_atomic(args.out, typeset(data, files, book.day, settings.overrides))
    print(f"已写出 {args.out}：{book.title}，收录 {len(book.cases)} 个案例", file=sys.stderr)
    return 0


def chosen_book(site: Site, *, street: str | None = None, district: str | None = None, theme: str | None = None,
                ids: list[str] | None = None) -> Book:
    """The book of the cases the options choose, titled after the narrowest choice."""
    cases: tuple[CaseView, ...] = site.cases
    scope = site.settings.site_name
    for slug, places in ((district, site.districts), (street, site.streets)):
        if slug is not None:
            place = _place(places, slug)
            cases = tuple(case for case in cases if place in (case.street, case.district))
            scope = place.name
    if theme is not None:
        if theme not in {term.term for term in site.taxonomy.themes}:
            raise UsageError(f"词表里没有主题“{theme}”：主题要照 content/taxonomy.yaml 里的写法写")
        cases = tuple(case for case in cases if theme in case.record.themes)
        scope = f"{scope}“{theme}”"
    if ids is not None:
        by_id = {case.id: case for case in cases}
        missing = [case_id for case_id in ids if case_id not in by_id]
        if missing:
            raise UsageError(f"没有编号为“{missing[0]}”的已发布案例（或它不在所选的街道、区县、主题里）："
                             "编号就是 content/cases/ 里的文件名")
        cases = tuple(by_id[case_id] for case_id in dict.fromkeys(ids))
    if not cases:
        raise UsageError("所选的范围里没有已发布的案例：请放宽 --street、--district、--theme 或 --cases")
    return Book(title=f"{scope}案例汇编", organisation=site.settings.organisation,
                day=max(case.updated for case in cases), cases=cases)


def _place(places: tuple[Place, ...], slug: str) -> Place:
    found = next((place for place in places if place.slug == slug), None)
    if found is None:
        known = "、".join(place.slug for place in places[:5])
        raise UsageError(f"没有名为“{slug}”的{'街道' if places and places[0].kind == 'street' else '区县'}："
                         f"写它页面网址里的名字，如 {known}")
    return found
