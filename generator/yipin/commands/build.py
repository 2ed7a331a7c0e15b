"""`yipin build` and `yipin serve`: MkDocs (or ProperDocs, engine.py) with friendlier output.
The content errors are printed exactly as `yipin check` prints them, without MkDocs' log
prefixes. The engine is imported here only, when one of these commands runs."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from yipin.build.pipeline import check_site
from yipin.commands.engine import use_engine
from yipin.commands.formats import FORMATS
from yipin.commands.site import config_file, config_option
from yipin.config import settings_from_mkdocs_yml
from yipin.errors import CONTENT_EXIT, ContentErrors

__all__ = ["add_parsers"]


def add_parsers(commands: Any) -> None:
    build = commands.add_parser("build", help="检查内容并生成网站（同 mkdocs build --strict）")
    config_option(build)
    build.set_defaults(run=run_build)
    serve = commands.add_parser("serve", help="本地预览网站，修改内容后自动刷新（同 mkdocs serve）")
    config_option(serve)
    serve.add_argument("--addr", default="127.0.0.1:8000", help="预览地址（默认 127.0.0.1:8000）")
    serve.set_defaults(run=run_serve)


def _quiet() -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner, on every build
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")


def run_build(args: argparse.Namespace) -> int:
    engine = use_engine()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    _quiet()
    config_path = config_file(args)
    try:
        content = check_site(settings_from_mkdocs_yml(config_path))
    except ContentErrors as exc:
        sys.stdout.write(FORMATS["text"](exc.errors))
        print(f"发现 {len(exc.errors)} 个问题，网站没有更新。", file=sys.stderr)
        return exc.exit_code
    plugin = None
    try:
        config = load_config(str(config_path))
        config.plugins.on_startup(command="build", dirty=False)
        plugin = config.plugins.get("yipin")
        if plugin is not None:
            plugin.validated = content  # read once, not again by the plugin
        build(config)
        config.plugins.on_shutdown()
    except (Abort, ConfigurationError, PluginError) as exc:
        print(f"生成失败，网站没有更新：{exc}", file=sys.stderr)
        return getattr(plugin, "exit_code", 0) or CONTENT_EXIT  # the plugin knows whose fault it was
    finally:
        if plugin is not None:
            plugin.validated = None   # MkDocs may hand this instance to the next build in the process
    print(f"网站已生成：{config.site_dir}（{engine}）", file=sys.stderr)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    use_engine()
    from mkdocs.commands.serve import serve

    _quiet()
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    serve(str(config_file(args)), dev_addr=args.addr, livereload=True)
    return 0
