"""`yipin export OUT`: the generated Markdown pages, JSON, feeds and images of a site in a
folder, for another static-site generator (nothing of MkDocs runs)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from yipin.build.outputs import Outputs, write_tree
from yipin.build.pipeline import build_site
from yipin.commands.formats import FORMATS
from yipin.commands.site import config_file, config_option
from yipin.config import settings_from_mkdocs_yml
from yipin.errors import ContentErrors, YipinError
from yipin.utils.owned import check_owned

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    export = commands.add_parser("export", help="只输出生成的 Markdown 页面、JSON 和订阅文件到一个文件夹")
    config_option(export)
    export.add_argument("out", type=Path, help="输出文件夹：新的或空的，或之前用 yipin 导出过的（只替换 yipin 写过的文件）")
    export.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    check_owned(args.out)  # before the build, not after it
    try:
        build = build_site(settings_from_mkdocs_yml(config_file(args)))
    except ContentErrors as exc:
        sys.stdout.write(FORMATS["text"](exc.errors))
        return exc.exit_code
    except YipinError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    everything = Outputs()
    everything.update_from(build.pages)
    everything.update_from(build.files)  # image variants stay files in the cache until written
    write_tree(everything, args.out)
    print(f"已输出 {len(build.pages)} 个页面和 {len(build.files)} 个文件到 {args.out}", file=sys.stderr)
    return 0
