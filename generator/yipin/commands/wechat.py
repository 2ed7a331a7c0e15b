"""`yipin wechat CASE_ID --out DIR`: a published case as an article for the 公众号 editor
(render/wechat.py): DIR/<id>.html with inline styles only, its pictures beside it as 01.jpg,
02.png … in the order they appear, and DIR/<id>.txt, the same as plain text.

DIR must be new, empty, or hold only files an earlier `yipin wechat` or `yipin export` wrote
there (utils/owned.py): a file of the user's is never replaced or removed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from yipin.build.outputs import Outputs, write_tree
from yipin.build.pipeline import check_site
from yipin.commands.formats import FORMATS
from yipin.commands.site import config_option, site_settings
from yipin.content.markdown import Prose
from yipin.errors import ContentErrors, UsageError
from yipin.images import ImageCache, prepare_images
from yipin.render.media import image_focus
from yipin.render.wechat import Article, article_sources, wechat_article
from yipin.site.derive import derive_site
from yipin.utils.owned import check_owned

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    wechat = commands.add_parser("wechat", help="把一个案例写成公众号文章：只用行内样式的 HTML、按顺序编号的图片和纯文字版")
    config_option(wechat)
    wechat.add_argument("case_id", metavar="CASE_ID", help="已发布案例的编号，如 zhouxin-lianjiang")
    wechat.add_argument("--out", type=Path, required=True,
                        help="输出文件夹：新的或空的，或之前用 yipin 导出过的（只替换 yipin 写过的文件）")
    wechat.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = site_settings(args)
    check_owned(args.out)  # before the work, not after it
    try:
        content = check_site(settings)
    except ContentErrors as exc:
        sys.stdout.write(FORMATS["text"](exc.errors))
        return exc.exit_code
    site = derive_site(content, settings)
    case = next((c for c in site.cases if c.id == args.case_id), None)
    if case is None:
        raise UsageError(f"没有编号为“{args.case_id}”的已发布案例（草稿不能导出）：编号就是 content/cases/ 里的文件名")
    pictures = prepare_images(settings.content, article_sources(case), ImageCache(settings.image_cache_dir),
                              settings.image_workers, focus=image_focus(site))
    article = wechat_article(case, pictures, Prose(settings.markdown_extensions, settings.markdown_configs), settings)
    write_tree(_outputs(article, case.id), args.out)
    print(f"已写出 {args.out / (case.id + '.html')}、纯文字版 {case.id}.txt 和 {len(article.pictures)} 张图片："
          "在公众号编辑器里粘贴正文，再按编号上传图片", file=sys.stderr)
    return 0


def _outputs(article: Article, case_id: str) -> Outputs:
    files = Outputs()
    files.add(f"{case_id}.html", article.html)
    files.add(f"{case_id}.txt", article.text)
    for name, source in article.pictures:
        files.add(name, Path(source).read_bytes())  # copied, not linked: editing them leaves the cache intact
    return files

