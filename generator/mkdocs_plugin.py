"""The MkDocs plugin: a thin adapter that runs the pipeline core and hands MkDocs its pages.

Events: startup (keep one plugin across `mkdocs serve` rebuilds), config (settings, build
into a staging folder), pre_build (run the core before MkDocs cleans anything), files
(add the generated pages and files), page_markdown (dates from records, not the clock),
serve (watch content/), post_build / build_error (swap the staging folder in, or drop it).
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .errors import YipinError
from .outputs import replace_tree
from .pipeline import Build, build_site
from .settings import Settings

__all__ = ["YipinPlugin"]


class YipinConfig(base.Config):
    content = c.Type(str, default="content")
    organisation = c.Type(str, default="")
    contact = c.Type(str, default="")
    icp = c.Type(str, default="")
    police = c.Type(str, default="")
    featured = c.ListOfItems(c.Type(str), default=[])


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class YipinPlugin(BasePlugin[YipinConfig]):
    def __init__(self) -> None:
        self.command = "build"
        self.build: Build | None = None
        self.site_dir: Path | None = None
        self.staging: Path | None = None
        self.warnings = _WarningCounter()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        home = Path(config.docs_dir) / "index.md"
        self.settings = Settings(
            content=root / self.config.content, site_url=config.site_url or "", site_name=config.site_name,
            organisation=self.config.organisation, contact=self.config.contact, icp=self.config.icp,
            police=self.config.police, featured=tuple(self.config.featured),
            markdown_extensions=list(config.markdown_extensions), markdown_configs=dict(config.mdx_configs),
            home_intro=home.read_text(encoding="utf-8") if home.is_file() else "",
        )
        config.extra["yipin"] = {"organisation": self.config.organisation, "contact": self.config.contact,
                                 "icp": self.config.icp, "police": self.config.police,
                                 "police_url": self.settings.police_url}
        if self.command == "build":
            self.site_dir = Path(config.site_dir)
            self.site_dir.parent.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(prefix=f".{self.site_dir.name}.", dir=self.site_dir.parent))
            config.site_dir = str(self.staging)
            self.warnings.count = 0
            logging.getLogger("mkdocs").addHandler(self.warnings)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        config.extra["yipin"]["preview_errors"] = []
        try:
            self.build = build_site(self.settings)
        except YipinError as exc:
            if self.command != "serve" or self.build is None:
                raise PluginError(f"内容有错误，未生成网站：\n{exc}") from None
            # MkDocs' live server hangs every request while a rebuild fails; instead keep
            # serving the last good build, with the errors in the terminal and on the page.
            print(f"内容有错误，预览保持上一次正确的版本：\n{exc}", file=sys.stderr, flush=True)
            config.extra["yipin"]["preview_errors"] = str(exc).splitlines()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.build is not None
        for path, content in (*self.build.pages.items(), *self.build.files.items()):
            existing = files.get_file_from_path(path)
            if existing is not None:  # the generated home page embeds docs/index.md
                files.remove(existing)
            files.append(File.generated(config, path, content=content))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.build is not None
        page.update_date = str(page.meta.get("yipin_updated") or self.build.site.updated.isoformat())
        return markdown

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.settings.content))
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.staging is None or self.site_dir is None:
            return
        if config.strict and self.warnings.count:
            return  # MkDocs aborts right after this event; on_build_error drops the staging folder
        replace_tree(self.staging, self.site_dir)
        config.site_dir = str(self.site_dir)
        self.staging = None

    def on_build_error(self, *, error: Exception) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
