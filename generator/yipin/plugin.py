"""The MkDocs plugin: a thin adapter that runs the pipeline core and hands MkDocs its pages.

Events: startup (keep one plugin across `mkdocs serve` rebuilds), config (settings, build
into a staging folder), pre_build (run the core before MkDocs cleans anything), files
(add the generated pages and files), page_markdown (dates from records, not the clock),
page_content (simplified forms of traditional text for search, on the hand-written pages),
post_page / post_template (the Content-Security-Policy, csp.py), serve (watch content/), post_build
(Pagefind indexes the built site, then the staging folder is swapped in) / build_error (drop it).

While `mkdocs build` runs, SIGTERM interrupts it like Ctrl-C (signals.py), and a staging
folder that was never swapped in is removed when the process exits (staging.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from yipin.build.outputs import replace_tree
from yipin.build.pipeline import Build, build_site, index_built
from yipin.config import OPTIONS, page_address, settings_from_options
from yipin.content.loaded import Content
from yipin.errors import ContentErrors, YipinError
from yipin.render.csp import KnownScripts, known_scripts, site_policy, with_policy
from yipin.search.variants import simplified_variants
from yipin.themes import OVERRIDES
from yipin.utils.report import LOGGER
from yipin.utils.signals import sigterm_interrupts
from yipin.utils.staging import discard, new_staging

__all__ = ["YipinPlugin"]

log = logging.getLogger(__name__)


# Each option is taken as MkDocs read it, whatever its type: yipin.config checks them all at
# once, in Chinese, and holds their defaults (Settings), so they are declared only there.
YipinConfig = type("YipinConfig", (base.Config,), {name: c.Optional(c.Type(object)) for name in OPTIONS})


class _WarningCounter(logging.Handler):
    """The warnings of a build, each once: it listens to MkDocs's log and Yipin's, and a Yipin
    line passed on to MkDocs's log (under `mkdocs build`) reaches it through both."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: dict[int, logging.LogRecord] = {}  # the records kept, so no id is reused meanwhile

    @property
    def count(self) -> int:
        return len(self.seen)

    def emit(self, record: logging.LogRecord) -> None:
        self.seen[id(record)] = record


class YipinPlugin(BasePlugin[YipinConfig]):  # type: ignore[valid-type]
    def __init__(self) -> None:
        self.command = "build"
        self.build: Build | None = None
        self.site_dir: Path | None = None
        self.staging: Path | None = None
        self.warnings = _WarningCounter()
        self.validated: Content | None = None  # content/ as `yipin build` has just checked it
        self.restore_sigterm: Callable[[], object] = lambda: None
        self.exit_code = 0  # of the Yipin error that stopped the build (errors.py), for `yipin build`
        self.known: KnownScripts | None = None  # the theme's own inline scripts (csp.py)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.exit_code = 0

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            self.settings = settings_from_options(
                Path(config.config_file_path).parent, dict(self.config), site_url=config.site_url or "",
                site_name=config.site_name, docs_dir=Path(config.docs_dir), custom_dir=config.theme.custom_dir,
                markdown=(list(config.markdown_extensions), dict(config.mdx_configs)),
                config=Path(config.config_file_path))
            page_address(config.repo_url or "", "repo_url")
        except YipinError as exc:
            raise self._failed(exc, str(exc)) from None
        _use_yipin_theme(config)
        self.known = known_scripts(tuple(config.theme.dirs))
        _as_text(config)
        config.extra["yipin"] = {"organisation": self.settings.organisation, "contact": self.settings.contact,
                                 "icp": self.settings.icp, "police": self.settings.police,
                                 "police_url": self.settings.police_url, "portal": bool(self.settings.members)}
        if self.command == "build":
            self.restore_sigterm = sigterm_interrupts()
            self.site_dir = Path(config.site_dir)
            self.staging = new_staging(self.site_dir)
            config.site_dir = str(self.staging)
            self.warnings.seen.clear()
            for name in ("mkdocs", LOGGER):
                logging.getLogger(name).addHandler(self.warnings)
        _report_through_mkdocs()
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        config.extra["yipin"]["preview_errors"] = []
        # For this build only: MkDocs keeps a plugin's instance for the next build in the
        # same process (its plugin cache), which may be another site's.
        validated, self.validated = self.validated, None
        try:
            self.build = build_site(self.settings, validated)
        except YipinError as exc:
            if self.command != "serve" or self.build is None:
                intro = "内容有错误，未生成网站" if isinstance(exc, ContentErrors) else "未生成网站"
                raise self._failed(exc, f"{intro}：\n{exc}") from None
            # MkDocs' live server hangs every request while a rebuild fails; instead keep
            # serving the last good build, with the errors in the terminal and on the page.
            # info, not a warning: under strict: true MkDocs would drop the last good preview too
            log.info(f"内容有错误，预览保持上一次正确的版本：\n{exc}")
            config.extra["yipin"]["preview_errors"] = str(exc).splitlines()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.build is not None
        for outputs in (self.build.pages, self.build.files):
            for path in outputs:
                existing = files.get_file_from_path(path)
                if existing is not None:  # the generated home page embeds docs/index.md
                    files.remove(existing)
                source = outputs.source(path)  # image variants: copied from the cache, never read here
                files.append(File.generated(config, path, abs_src_path=str(source)) if source
                             else File.generated(config, path, content=outputs[path]))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.build is not None
        page.update_date = str(page.meta.get("yipin_updated") or self.build.site.updated.isoformat())
        return markdown

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.settings.content))
        return server

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.build is not None
        if page.file.src_uri in self.build.pages:
            return html  # the core has added the block to its pages (and cached it with them)
        return html + simplified_variants(html)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return with_policy(output, page.content or "", self._policy(), self.known)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if not template_name.endswith(".html"):  # 404.html
            return output_content
        return with_policy(output_content, policy=self._policy(), known=self.known)

    def _policy(self) -> Mapping[str, tuple[str, ...]]:
        return site_policy(self.build.origins if self.build else ())

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._index(Path(config.site_dir))
        self._stop_counting()
        if self.staging is None or self.site_dir is None:
            return
        if config.strict and self.warnings.count:  # MkDocs would abort only after the swap, on its own warnings
            raise PluginError(f"严格模式（strict: true）：有 {self.warnings.count} 个警告，网站没有更新")
        replace_tree(self.staging, self.site_dir)
        config.site_dir = str(self.site_dir)
        self.staging = None
        self.restore_sigterm()

    def _index(self, site_dir: Path) -> None:
        assert self.build is not None
        try:
            index_built(self.build, site_dir, self.settings.root)
        except YipinError as exc:
            if self.command != "serve":
                raise self._failed(exc, str(exc)) from None
            log.info(f"搜索暂不可用：{exc}")  # the preview still works (info: strict: true would stop it)

    def _failed(self, exc: YipinError, message: str) -> PluginError:
        self.exit_code = exc.exit_code
        return PluginError(message)

    def _stop_counting(self) -> None:
        for name in ("mkdocs", LOGGER):
            logging.getLogger(name).removeHandler(self.warnings)

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_counting()
        if self.staging is not None:
            discard(self.staging)
            self.staging = None
        self.restore_sigterm()


class _ToMkDocs(logging.Handler):
    """Yipin's lines into MkDocs's log, where `mkdocs build` prints and counts them."""

    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger("mkdocs.plugins.yipin").handle(record)


def _report_through_mkdocs() -> None:
    """Under `mkdocs build`/`serve`, where no `yipin` command prints Yipin's lines."""
    logger = logging.getLogger(LOGGER)
    if not any(not isinstance(h, _WarningCounter) for h in logger.handlers):
        logger.addHandler(_ToMkDocs())
        logger.setLevel(logging.INFO)
        logger.propagate = False


# The values of mkdocs.yml that the theme's templates print as they are (MkDocs' templates
# do not escape): from here on they are escaped text, after the core has read them.
_PRINTED_AS_IS = ("site_name", "site_description", "site_author", "copyright", "repo_name")


def _as_text(config: MkDocsConfig) -> None:
    """mkdocs.yml's values reach pages as text, like record fields: markup in a site_name or
    a copyright line is shown, never parsed (a Markup string: a template's own ``| e`` does
    not escape it twice)."""
    for name in _PRINTED_AS_IS:
        if config[name]:
            config[name] = escape(str(config[name]))


def _use_yipin_theme(config: MkDocsConfig) -> None:
    """Yipin's templates, CSS and JS sit between the site's own custom_dir, which may replace
    any of them, and Material's: a site needs no copy of them (as Material's custom_dir)."""
    dirs = config.theme.dirs
    if str(OVERRIDES) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
