"""The files of the pinned Sveltia CMS (npm package @sveltia/cms) that /admin/ serves.

Its browser script fetches a few things from CDNs at run time: the translation of its own
interface (locales/zh-CN.json), its fonts (the icon font above all) and some optional
modules. CDNs are blocked or slow in much of mainland China, so the copy served here has
those addresses pointed at files next to it, taken from the same package. Each rewrite
must match as often as stated: a new Sveltia version that moves an address stops the
build here rather than silently reaching for a CDN again.

Optional modules (map widget, code highlighting, picture metadata, SVG optimisation, AI
translation) are pointed at ./vendor/, which is not shipped: Sveltia catches their
failure and works on without them; none of our fields uses them.
"""

from __future__ import annotations

import re
from pathlib import Path

from yipin.errors import MachineError, YipinError

__all__ = ["PACKAGE", "SCRIPT", "cms_assets"]

PACKAGE = "@sveltia/cms"
SCRIPT = Path("dist") / "sveltia-cms.js"

REWRITES = (
    ("`${iP}@${rP}/locales`", "`./locales`", 1),              # its interface in Chinese
    ("`${iP}/package.json`", "`./package.json`", 1),          # "a new version is out" check
    ("`${iP}@${rP}/dist/${n}`", "`./chunks/${n}`", 1),        # chunks: it tries the local copy first anyway
    ("`https://unpkg.com/${e}`", "`./vendor/${e}`", 1),        # optional modules, see above
    ("`https://unpkg.com/@shikijs`", "`./vendor/@shikijs`", 1),
    ("`https://unpkg.com/@sveltia/ui`", "`./vendor/@sveltia/ui`", 1),
)
FONT = re.compile(r"https://cdn\.jsdelivr\.net/fontsource/fonts/(?P<family>[a-z0-9-]+)(?::vf)?@[\d.]+/(?P<face>[a-z0-9-]+)\.woff2")
CDN = re.compile(r"https://(?:unpkg\.com|cdn\.jsdelivr\.net)/[^`'\"\s)]*")
ALLOWED = {"https://unpkg.com/@sveltia/cms"}   # left as a name only: a selector and a help link


def cms_assets(package: Path) -> dict[str, bytes]:
    """admin/-relative path → bytes of everything the CMS loads. ``package``: the npm
    package's folder (tools.package_path)."""
    if not (package / SCRIPT).is_file():
        raise MachineError(f"前端工具不完整，找不到网页编辑器 {package / SCRIPT}：请删去 {package.parents[1]} 后重新运行，"
                           "Yipin 会重新安装")
    script = (package / SCRIPT).read_text(encoding="utf-8")
    for old, new, count in REWRITES:
        if script.count(old) != count:
            raise YipinError(f"{SCRIPT} 里的 {old} 出现 {script.count(old)} 次而不是 {count} 次："
                             "Sveltia CMS 换了版本，请更新 yipin/render/cms_assets.py 里的地址改写")
        script = script.replace(old, new)
    files: dict[str, bytes] = {}
    fonts = {m.group(0): _font(package, m["family"], m["face"]) for m in FONT.finditer(script)}
    for url, (name, data) in fonts.items():
        script = script.replace(url, f"fonts/{name}")
        files[f"fonts/{name}"] = data
    left = set(CDN.findall(script)) - ALLOWED
    if left:
        raise YipinError(f"{SCRIPT} 还会从 CDN 加载：{'、'.join(sorted(left))}；请在 yipin/render/cms_assets.py 里改写")
    files["sveltia-cms.js"] = script.encode("utf-8")
    files["package.json"] = (package / "package.json").read_bytes()
    files.update({f"locales/{p.name}": p.read_bytes() for p in sorted((package / "locales").glob("*.json"))})
    return files


def _font(package: Path, family: str, face: str) -> tuple[str, bytes]:
    """The package's own copy of a CDN font (npm/assets/<family>-<face>-<hash>.woff2)."""
    found = sorted((package / "npm" / "assets").glob(f"{family}-{face}-*.woff2"))
    if len(found) != 1:
        raise YipinError(f"{PACKAGE}/npm/assets 里找不到字体 {family}-{face}：请检查 Sveltia CMS 的版本")
    return f"{family}-{face}.woff2", found[0].read_bytes()
