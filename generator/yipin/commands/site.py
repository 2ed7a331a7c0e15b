"""Which site a command works on: the mkdocs.yml given with -f, else the nearest one in the
working folder or above it (as git finds its repository), and its settings. Nothing is
looked for beside Yipin's own installation."""

from __future__ import annotations

import argparse
from pathlib import Path

from yipin.config import Settings, settings_from_mkdocs_yml
from yipin.errors import UsageError

__all__ = ["CONFIG", "config_option", "content_option", "find_config", "config_file", "site_settings"]

CONFIG = "mkdocs.yml"


def config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-f", "--config-file", type=Path, default=None,
                        help="网站配置 mkdocs.yml 的位置（默认：当前文件夹或上级文件夹里的）")


def content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=None,
                        help="内容文件夹（默认：网站配置 mkdocs.yml 所在网站的 content/）")


def find_config(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    return next((folder / CONFIG for folder in (here, *here.parents) if (folder / CONFIG).is_file()), None)


def config_file(args: argparse.Namespace) -> Path:
    """The site's mkdocs.yml, or UsageError saying how to name one."""
    if args.config_file is not None:
        if not args.config_file.is_file():
            raise UsageError(f"找不到网站配置 {args.config_file}")
        return args.config_file
    found = find_config()
    if found is None:
        raise UsageError("这里不是一个网站：当前文件夹和它的上级都没有 mkdocs.yml。请进入网站文件夹再运行，"
                         "或用 -f 指定 mkdocs.yml；新建网站用 yipin init 文件夹名")
    return found


def site_settings(args: argparse.Namespace) -> Settings:
    """The settings of the site around the working folder; with --content, that folder's
    content (and the settings of a mkdocs.yml beside it, if any)."""
    content = getattr(args, "content", None)
    if content is None:
        return settings_from_mkdocs_yml(config_file(args))
    beside = content.parent / CONFIG
    if beside.is_file():
        settings = settings_from_mkdocs_yml(beside)
        if settings.content.resolve() == content.resolve():
            return settings
    return Settings(content=content)
