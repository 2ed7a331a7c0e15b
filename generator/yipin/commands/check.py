"""`yipin check`: validate every record of a site; every problem one line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from yipin.build.pipeline import check_site
from yipin.commands.formats import FORMATS
from yipin.commands.site import config_option, content_option, site_settings
from yipin.errors import ContentErrors

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    check = commands.add_parser("check", help="检查网站的全部内容，列出全部问题")
    config_option(check)
    content_option(check)
    check.add_argument("--format", choices=sorted(FORMATS), default="text", help="输出格式（默认 text）")
    check.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        content = check_site(site_settings(args))
    except ContentErrors as exc:
        sys.stdout.write(FORMATS[args.format](exc.errors))
        if args.format != "json":
            print(f"发现 {len(exc.errors)} 个问题。", file=sys.stderr)
        return exc.exit_code
    if args.format == "json":
        sys.stdout.write(FORMATS["json"]([]))
    else:
        print(f"检查通过：{len(content.cases)} 个案例（{len(content.published)} 个发布），"
              f"{len(content.streets)} 个街道档案。", file=sys.stderr)
    return 0
