"""`yipin tools`: install the pinned front-end tools now (a build does it on first use) and
print where they are — for CI caches, and for Yipin's own tests (--dev)."""

from __future__ import annotations

import argparse
from typing import Any

from yipin import tools

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("tools", help="安装网站要用的前端工具（Pagefind 等；生成网站时也会自动安装），并显示位置")
    parser.add_argument("--dev", action="store_true", help="连同 Yipin 自己的测试工具（axe-core、vnu、Lighthouse）")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print(tools.installed(dev=args.dev))
    return 0
