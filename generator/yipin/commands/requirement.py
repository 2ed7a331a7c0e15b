"""The requirements.txt line that installs this same Yipin on a colleague's machine or in CI.

pip records where it installed a package from (PEP 610, ``direct_url.json`` in its
dist-info): nothing for a package index, a git URL and commit, a local folder (a checkout,
often editable) or an archive. The line follows that record: ``yipin==X.Y.Z`` from an index,
``yipin @ git+URL@COMMIT`` from git (a local checkout is named by its ``origin`` remote and
its commit), an archive by its address. A local path or file works only on this machine: the
line still installs here, and the note says so. Credentials in a URL are never written."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from urllib.request import url2pathname

__all__ = ["Requirement", "installed_yipin", "requirement_from"]


@dataclass(frozen=True)
class Requirement:
    line: str         # the line for requirements.txt
    note: str         # one Chinese line: where it comes from
    shareable: bool   # whether another machine can install it


@cache
def installed_yipin() -> Requirement:
    distribution = metadata.distribution("yipin")
    record = distribution.read_text("direct_url.json")
    return requirement_from(json.loads(record) if record else None, distribution.version)


def requirement_from(direct_url: Mapping[str, Any] | None, version: str) -> Requirement:
    if not direct_url:
        return Requirement(f"yipin=={version}", f"Yipin {version}，来自软件包索引（PyPI）", True)
    url = _without_credentials(str(direct_url.get("url", "")))
    if "vcs_info" in direct_url:
        commit = str(direct_url["vcs_info"].get("commit_id", ""))
        return _git(url, commit)
    if "dir_info" in direct_url:
        folder = Path(url2pathname(urlsplit(url).path))
        origin, commit = _checkout(folder)
        if origin and commit:
            return _git(origin, commit, pushed=True)
        if commit:
            return _git(f"file://{folder.as_posix()}", commit)
        return Requirement(f"yipin @ {url}", f"Yipin {version}，来自本机文件夹 {folder}（别的电脑用不了）", False)
    digest = str(direct_url.get("archive_info", {}).get("hash", ""))  # "sha256=…", as pip reads it after #
    line = f"yipin @ {url}" + (f"#{digest}" if digest else "")
    if urlsplit(url).scheme in ("http", "https"):
        return Requirement(line, f"Yipin {version}，来自 {url}", True)
    return Requirement(line, f"Yipin {version}，来自本机文件 {url2pathname(urlsplit(url).path)}（别的电脑用不了）", False)


def _git(url: str, commit: str, *, pushed: bool = False) -> Requirement:
    line = f"yipin @ git+{url}@{commit}" if commit else f"yipin @ git+{url}"
    if urlsplit(url).scheme == "file":
        return Requirement(line, f"Yipin 来自本机的 git 仓库 {urlsplit(url).path} 的提交 {commit[:12]}（别的电脑用不了）", False)
    check = "（请确认这个提交已推送到那里）" if pushed else ""
    return Requirement(line, f"Yipin 来自 git 仓库 {url} 的提交 {commit[:12]}{check}", True)


def _checkout(folder: Path) -> tuple[str, str]:
    """The ``origin`` address (https or ssh, credentials dropped) and HEAD commit of a git checkout, or blanks."""
    git = shutil.which("git")
    if git is None or not (folder / ".git").exists():
        return "", ""

    def ask(*args: str) -> str:
        done = subprocess.run([git, "-C", str(folder), *args], capture_output=True, text=True, timeout=30)
        return done.stdout.strip() if done.returncode == 0 else ""

    origin = _without_credentials(ask("remote", "get-url", "origin"))
    if origin and "://" not in origin and ":" in origin:  # scp-like git@host:owner/name.git
        host, path = origin.split(":", 1)
        origin = f"ssh://{host}/{path}"
    return origin, ask("rev-parse", "HEAD")


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if not parts.password and not (parts.username and parts.scheme in ("http", "https")):
        return url
    return urlunsplit(parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")))
