"""The front-end tools Yipin runs or serves, pinned by the package's own lock file
(package.json and package-lock.json beside this module):

    pagefind       builds the search index after every build
    opencc-js      converts queries from traditional to simplified Chinese (served)
    @sveltia/cms   the web editor at /admin/ (served)
    axe-core, vnu-jar, lighthouse   the quality gates of Yipin's own tests (dev=True)

npm installs them on first use into a per-user cache, in a folder named by the lock file's
hash, so two Yipin versions never share (or break) each other's tools. A site that has its
own node_modules/ holding a package uses that one instead. The first install says so in one
line; without npm it is a MachineError that says what to install.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import time
from functools import cache
from pathlib import Path

import platformdirs

from yipin.errors import MachineError
from yipin.utils.staging import discard, new_staging, published

__all__ = ["LOCK", "MANIFEST", "cache_folder", "package_path", "installed"]

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
MANIFEST, LOCK = HERE / "package.json", HERE / "package-lock.json"
NPM_MIRROR = "https://registry.npmmirror.com"


def cache_folder(*, dev: bool = False) -> Path:
    """Where this lock file's tools live: $YIPIN_TOOLS, else the user's cache folder."""
    root = Path(os.environ.get("YIPIN_TOOLS") or platformdirs.user_cache_path("yipin") / "tools")
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()[:16]
    return root / (f"{digest}-dev" if dev else digest)


def package_path(name: str, site: Path | None = None, *, dev: bool = False) -> Path:
    """The folder of npm package ``name``: in the site's own node_modules/ if it has it,
    else in the cache, installed now if it is not there yet."""
    if site is not None and (site / "node_modules" / name / "package.json").is_file():
        return site / "node_modules" / name
    return installed(dev=dev) / "node_modules" / name


@cache
def installed(*, dev: bool = False) -> Path:
    """The cache folder with every tool of the lock file in it (dev: the test tools too)."""
    target = cache_folder(dev=dev)
    if not (target / "node_modules").is_dir():
        _install(target, dev)
    return target


def _install(target: Path, dev: bool) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise MachineError(
            "找不到 npm：网站的搜索工具 Pagefind 和网页编辑器要用 npm 安装（只需一次）。请先安装 Node.js 20 或更新的版本"
            "（自带 npm）：Debian/Ubuntu 运行 sudo apt-get install nodejs npm；Windows、macOS 从 "
            "https://nodejs.org/zh-cn/download 下载安装")
    staging = new_staging(target)
    try:
        shutil.copyfile(MANIFEST, staging / MANIFEST.name)
        shutil.copyfile(LOCK, staging / LOCK.name)
        log.info(f"首次使用：正在安装前端工具（{_names(dev)}）到 {target}，只需一次……")
        began = time.monotonic()
        # `npm ci` refuses a lock without the other platforms' optional packages (the registry
        # here has only Linux builds of Pagefind); `install` keeps the lock's exact versions.
        command = [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", *(() if dev else ("--omit=dev",))]
        result = subprocess.run(command, cwd=staging, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            detail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])
            raise MachineError(f"安装前端工具失败（npm 退出码 {result.returncode}）：\n{detail}\n"
                               f"请检查网络；在中国大陆可以先运行 npm config set registry {NPM_MIRROR}")
    except BaseException:
        discard(staging)
        raise
    try:
        staging.rename(target)
        published(staging)
    except OSError:  # another build installed the same tools meanwhile: keep theirs
        discard(staging)
    log.info(f"前端工具已安装，用时 {time.monotonic() - began:.0f} 秒。")


def _names(dev: bool) -> str:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    packages = {**manifest["dependencies"], **(manifest.get("devDependencies", {}) if dev else {})}
    return "、".join(f"{name} {version}" for name, version in packages.items())
