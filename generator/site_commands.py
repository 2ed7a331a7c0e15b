"""`yipin build` and `yipin serve`: MkDocs with friendlier output. The content errors are
printed exactly as `yipin check` prints them, without MkDocs' log prefixes."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.commands.serve import serve
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from .build_cache import BuildCache
from .errors import CONTENT_EXIT, ContentErrors
from .image_check import ImageChecker
from .settings import settings_from_mkdocs_yml
from .validate import validate_content

__all__ = ["build_with_mkdocs", "serve_with_mkdocs"]


def _quiet() -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner, on every build
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")


def build_with_mkdocs(config_file: Path) -> int:
    _quiet()
    try:
        settings = settings_from_mkdocs_yml(config_file)
        content = validate_content(settings.content, ImageChecker.for_settings(settings),
                                   BuildCache(settings.build_cache_dir))
    except ContentErrors as exc:
        sys.stdout.write("".join(f"{e}\n" for e in exc.errors))
        print(f"发现 {len(exc.errors)} 个问题，网站没有更新。", file=sys.stderr)
        return exc.exit_code
    try:
        config = load_config(str(config_file))
        config.plugins.on_startup(command="build", dirty=False)
        if "yipin" in config.plugins:
            config.plugins["yipin"].validated = content  # read once, not again by the plugin
        build(config)
        config.plugins.on_shutdown()
    except (Abort, ConfigurationError, PluginError) as exc:
        print(f"生成失败，网站没有更新：{exc}", file=sys.stderr)
        return getattr(exc, "exit_code", CONTENT_EXIT)  # the plugin's BuildFailed says whose fault
    print(f"网站已生成：{config.site_dir}", file=sys.stderr)
    return 0


def serve_with_mkdocs(config_file: Path, addr: str) -> int:
    _quiet()
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    serve(str(config_file), dev_addr=addr, livereload=True)
    return 0
