"""Site settings a sub-district needs, with their defaults in one place.

The MkDocs plugin fills them from its config in mkdocs.yml; `yipin export` reads the
same section of mkdocs.yml itself, so both routes build from one configuration.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from yipin.cache import DEFAULT_FOLDER as BUILD_CACHE
from yipin.content.markdown import DEFAULT_MARKDOWN_EXTENSIONS
from yipin.errors import MachineError, SettingsErrors, UsageError, display_path
from yipin.images import DEFAULT_FOLDER, MAX_PIXELS

__all__ = ["Settings", "CmsSettings", "MemberSource", "CMS_BACKENDS", "REGION_LEVELS", "OPTIONS", "page_address",
           "settings_from_mkdocs_yml", "settings_from_options"]

T = TypeVar("T")


CMS_BACKENDS = ("github", "gitlab", "gitea")  # gitea also serves Forgejo


@dataclass(frozen=True)
class CmsSettings:
    """Where the web editor (/admin/) reads and commits: the site repository's host."""

    backend: str = "github"               # github | gitlab | gitea (Gitea and Forgejo)
    repo: str = ""                        # owner/name of the site repository
    branch: str = "main"
    base_url: str = ""                    # self-hosted GitLab/Gitea/Forgejo root, or an OAuth proxy for GitHub
    api_root: str = ""                    # self-hosted API, e.g. https://git.example.org/api/v1
    app_id: str = ""                      # OAuth application (client) id: GitLab/Gitea sign-in without a token

    @classmethod
    def from_mapping(cls, options: dict[str, Any]) -> CmsSettings:
        unknown = sorted(set(options) - set(cls.__dataclass_fields__), key=str)
        if unknown:
            raise _Refused(f"没有 {'、'.join(map(str, unknown))}：可以写 {'、'.join(cls.__dataclass_fields__)}")
        if options.get("backend", cls.backend) not in CMS_BACKENDS:
            raise _Refused(f"backend 只能是 {'、'.join(CMS_BACKENDS)}，现在是{_shown(options['backend'])}")
        return cls(**{key: str(value) for key, value in options.items() if value is not None})


REGION_LEVELS = ("province", "city", "district", "street")


@dataclass(frozen=True)
class MemberSource:
    """Where a portal reads one member site: its published address, and maybe a built copy
    on disk to read instead (a CI artifact). The address is the portal's word, never the
    member's: its manifest must say the same, and it speaks only for addresses under it."""

    url: str
    path: Path | None = None


@dataclass(frozen=True)
class Settings:
    content: Path                         # the content/ folder
    site: Path | None = None              # the site's folder (beside mkdocs.yml); default: content's parent
    overrides: Path | None = None         # the site's theme custom_dir: files there replace Yipin's templates
    site_url: str = ""                    # absolute URL of the published site, ending in /
    site_name: str = "一品 · 社区治理品牌库"
    organisation: str = ""                # 主办单位, shown in the footer and feeds
    contact: str = ""                     # 联系方式 of the organisation
    icp: str = ""                         # ICP备案号, linked to beian.miit.gov.cn
    police: str = ""                      # 公安备案号 (e.g. 粤公网安备44180202000000号)
    region: dict[str, str] = field(default_factory=dict)  # the area the site covers, for its manifest
    featured: tuple[str, ...] = ()        # case ids shown first on the home page
    markdown_extensions: list[Any] = field(default_factory=lambda: list(DEFAULT_MARKDOWN_EXTENSIONS))
    markdown_configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    home_intro: str = ""                  # hand-written Markdown at the top of the home page
    cms: CmsSettings = field(default_factory=CmsSettings)
    # A portal's member sites (read at build time, never copied), and the sites and portals
    # whose manifests tell which cases elsewhere learnt from this site's (yipin/network/).
    members: tuple[MemberSource, ...] = ()
    network: tuple[str, ...] = ()
    # Activity calendars: occurrences from this many months before "today" to this many after.
    # "Today" is the newest content date (site.updated), never the build clock, so a build is
    # reproducible; calendar_today (YYYY-MM-DD), or the environment variable YIPIN_TODAY, overrides it.
    calendar_months_before: int = 3
    calendar_months_after: int = 12
    calendar_today: str = ""
    # Gallery images: the cache of finished variants (kept between builds, and by CI if it
    # likes; default .yipin-cache/images beside content/), worker processes (0: one per
    # core), and the largest picture accepted, in pixels (a decompression-bomb guard).
    image_cache: Path | None = None
    image_workers: int = 0
    image_max_pixels: int = MAX_PIXELS
    # Parsed records and rendered pages, so a rebuild redoes only what changed (build_cache.py;
    # default .yipin-cache/build beside content/).
    build_cache: Path | None = None

    @property
    def root(self) -> Path:
        """The site's folder: its own node_modules/, if any, and where the CMS commits from."""
        return self.site or self.content.parent

    @property
    def image_cache_dir(self) -> Path:
        return self.image_cache or self.content.parent / DEFAULT_FOLDER

    @property
    def build_cache_dir(self) -> Path:
        return self.build_cache or self.content.parent / BUILD_CACHE

    @property
    def police_url(self) -> str:
        """The national filing system's page for the 公安备案号 (its digits are the record code)."""
        code = "".join(ch for ch in self.police if ch.isdigit())
        return f"https://beian.mps.gov.cn/#/query/webSearch?code={code}" if code else ""

    def absolute(self, url: str) -> str:
        """A site-relative URL ('cases/x/') made absolute with site_url."""
        return (self.site_url.rstrip("/") + "/" + url.lstrip("/")) if self.site_url else "/" + url.lstrip("/")


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's plain values; its !!python/name tags become None."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def settings_from_mkdocs_yml(path: Path, plugin_name: str = "yipin") -> Settings:
    """The plugin's settings as written in mkdocs.yml, without importing MkDocs."""
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise SettingsErrors([f"{display_path(path)}{where}: 网站配置不是有效的 YAML：请检查这一行的缩进、冒号和引号"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MachineError(f"读不了网站配置 {display_path(path)}：{exc.strerror or '不是 UTF-8 编码'}") from None
    if not isinstance(config, dict):
        raise SettingsErrors([f"{display_path(path)}: 网站配置应写成“选项: 值”，如 site_name: 洲心街道一社区一品牌"])
    plugins = config.get("plugins") or []
    options: Any = {}
    for entry in [plugins] if isinstance(plugins, dict) else plugins:  # MkDocs takes a list or a mapping
        if isinstance(entry, dict) and plugin_name in entry:
            options = entry[plugin_name] or {}
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    return settings_from_options(path.parent, options, site_url=config.get("site_url") or "",
                                 site_name=config.get("site_name") or Settings.site_name,
                                 docs_dir=path.parent / config.get("docs_dir", "docs"), custom_dir=theme.get("custom_dir"),
                                 config=path)


def settings_from_options(root: Path, options: Mapping[str, Any], *, site_url: str, site_name: str, docs_dir: Path,
                          custom_dir: str | None, markdown: tuple[list[Any], dict[str, Any]] | None = None,
                          config: Path | None = None) -> Settings:
    """Settings from the plugin's options in mkdocs.yml and the few MkDocs values they need:
    one reading for the MkDocs plugin and for the commands that run without MkDocs.
    ``markdown``: the site's Markdown extensions and their configuration, where MkDocs has
    loaded them (its python tags cannot be read here); ``config``: the file, for messages. Every bad option is reported at once,
    one line each (SettingsErrors); an option left out or empty takes Settings' default."""
    read = _Options(config or root / "mkdocs.yml", options)
    intro = docs_dir / "index.md"
    extensions, configs = markdown or (list(DEFAULT_MARKDOWN_EXTENSIONS), {})
    settings = Settings(
        content=root / read.text("content"),
        site=root,
        overrides=root / custom_dir if custom_dir else None,
        site_url=page_address(site_url),
        site_name=site_name,
        organisation=read.text("organisation"),
        contact=read.text("contact"),
        icp=read.text("icp"),
        police=read.text("police"),
        region=read.each("region", _region),
        featured=tuple(read.texts("featured")),
        markdown_extensions=extensions,
        markdown_configs=configs,
        home_intro=intro.read_text(encoding="utf-8") if intro.is_file() else "",
        cms=read.each("cms", CmsSettings.from_mapping),
        members=tuple(read.items("members", lambda entry: _member(root, entry))),
        network=tuple(read.items("network", _address)),
        calendar_months_before=read.integer("calendar_months_before", 0, 120),
        calendar_months_after=read.integer("calendar_months_after", 1, 120),
        calendar_today=str(read.value("calendar_today") or ""),
        image_cache=root / read.text("image_cache"),
        image_workers=read.integer("image_workers", 0, 64),
        image_max_pixels=read.integer("image_max_pixels", 1, 10 * MAX_PIXELS),
        build_cache=root / read.text("build_cache"),
    )
    read.finish()
    return settings


# The plugin's options: every field of Settings that mkdocs.yml's `yipin` section may set;
# their defaults are Settings' own. The MkDocs plugin takes these names as written (plugin.py).
OPTIONS = ("content", "organisation", "contact", "icp", "police", "region", "featured", "cms", "members", "network",
           "calendar_months_before", "calendar_months_after", "calendar_today", "image_cache", "image_workers",
           "image_max_pixels", "build_cache")
_PATH_DEFAULTS = {"content": "content", "image_cache": str(DEFAULT_FOLDER), "build_cache": str(BUILD_CACHE)}


class _Options:
    """The plugin's options as written, each read once with its type checked; problems are
    collected, one Chinese line per option, and raised together by finish()."""

    def __init__(self, config: Path, options: Mapping[str, Any]):
        self.config, self.problems = config, []
        self.options = options if isinstance(options, Mapping) else {}
        if not isinstance(options, Mapping):
            self.problems.append(f"{display_path(config)}: plugins.yipin: 应写成“选项: 值”的设置，现在是{_shown(options)}")
        for name in sorted(set(self.options) - set(OPTIONS), key=str):
            close = difflib.get_close_matches(str(name), OPTIONS, n=1)
            hint = f"：是不是 {close[0]}？" if close else f"：可以写 {'、'.join(OPTIONS)}"
            self.problems.append(f"{display_path(config)}: plugins.yipin.{name}: 没有这个设置{hint}")

    def value(self, name: str) -> Any:
        value = self.options.get(name)
        return None if value in (None, "", [], {}) else value

    def default(self, name: str) -> Any:
        return _PATH_DEFAULTS.get(name, Settings.__dataclass_fields__[name].default)

    def problem(self, name: str, message: str) -> None:
        self.problems.append(f"{display_path(self.config)}: plugins.yipin.{name}: {message}")

    def text(self, name: str) -> str:
        value = self.value(name)
        if value is None:
            return self.default(name)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(name, f"应为一行文字，现在是{_shown(value)}")
            return self.default(name)
        return str(value)

    def integer(self, name: str, low: int, high: int) -> int:
        value = self.value(name)
        if value is None:
            return self.default(name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(name, f"应为 {low} 到 {high} 之间的整数，现在是{_shown(value)}")
            return self.default(name)
        return value

    def texts(self, name: str) -> list[str]:
        return self.items(name, lambda item: item if isinstance(item, str) else _refuse(f"每一项应为文字，现在有{_shown(item)}"))

    def items(self, name: str, read: Callable[[Any], T]) -> list[T]:
        value = self.value(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(name, f"应为列表（每项一行，以“- ”开头），现在是{_shown(value)}")
            return []
        found = []
        for number, item in enumerate(value, 1):
            try:
                found.append(read(item))
            except _Refused as exc:
                self.problem(f"{name}[{number}]", str(exc))
        return found

    def each(self, name: str, read: Callable[[Mapping[str, Any]], T]) -> T:
        value = self.value(name) or {}
        try:
            if not isinstance(value, Mapping):
                raise _Refused(f"应写成下一级的“选项: 值”，现在是{_shown(value)}")
            return read(value)
        except _Refused as exc:
            self.problem(name, str(exc))
            return read({})

    def finish(self) -> None:
        if self.problems:
            raise SettingsErrors(self.problems)


class _Refused(ValueError):
    """One option's value cannot be used; the message says why, in Chinese."""


def _refuse(message: str) -> Any:
    raise _Refused(message)


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else yaml.safe_dump(value, allow_unicode=True, default_flow_style=True,
                                                               width=1000).strip().removesuffix("...").strip()
    return f"“{text[:60]}{'…' if len(text) > 60 else ''}”"


# An http(s) address as RFC 3986 writes one: no quote, space, angle bracket or backslash,
# which pages print into attributes (MkDocs' canonical link) and browsers read otherwise.
_SITE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~!$&()*+,;=:@%/-]*)?")


def page_address(value: Any, option: str = "site_url") -> str:
    """An address of mkdocs.yml that pages print (site_url, repo_url), refused unless plain."""
    text = str(value)
    if text and not _SITE_URL.fullmatch(text):
        raise UsageError(f"mkdocs.yml 的 {option} 不是可用的网址：应以 http:// 或 https:// 开头，"
                         "只写网址里的字符（不能有引号、空格、尖括号、反斜杠）")
    return text


def _region(options: Mapping[str, Any]) -> dict[str, str]:
    if set(options) - set(REGION_LEVELS):
        raise _Refused(f"只能写 {'、'.join(REGION_LEVELS)}，如 province: 广东省")
    return {level: str(options[level]) for level in REGION_LEVELS if options.get(level)}


def _member(root: Path, entry: Any) -> MemberSource:
    if isinstance(entry, Mapping) and set(entry) <= {"url", "path"} and entry.get("path") and not entry.get("url"):
        raise _Refused(f"path: {entry['path']} 还要写 url:（这个成员网站发布后的网址）：门户网站不凭成员自己的网站清单认定它的网址")
    if isinstance(entry, Mapping) and set(entry) <= {"url", "path"} and entry:
        return MemberSource(url=_address(entry["url"]), path=root / str(entry["path"]) if entry.get("path") else None)
    raise _Refused(f"每一项写 url:（成员网站的网址）或 path:（生成好的成员网站文件夹），现在是{_shown(entry)}")


def _address(value: Any) -> str:
    text = str(value).strip()
    if not isinstance(value, str) or not text.startswith(("http://", "https://")):
        raise _Refused(f"{_shown(value)}不是网址：应以 http:// 或 https:// 开头")
    return text if text.endswith("/") else text + "/"
