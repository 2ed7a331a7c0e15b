"""The pinned front-end tools (yipin/tools/): from the package's own lock file, in a per-user
cache named by that lock, or from a site's own node_modules/; without npm, a clear error
with the machine's exit code."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest

from yipin import tools
from yipin.errors import MACHINE_EXIT, MachineError


def test_the_cache_is_named_by_the_lock_file(monkeypatch, tmp_path):
    monkeypatch.setenv("YIPIN_TOOLS", str(tmp_path))
    lock = hashlib.sha256(tools.LOCK.read_bytes()).hexdigest()[:16]
    assert tools.cache_folder() == tmp_path / lock
    assert tools.cache_folder(dev=True) == tmp_path / f"{lock}-dev"


def test_the_lock_pins_every_tool_exactly():
    manifest = json.loads(tools.MANIFEST.read_text(encoding="utf-8"))
    lock = json.loads(tools.LOCK.read_text(encoding="utf-8"))
    for name, version in {**manifest["dependencies"], **manifest["devDependencies"]}.items():
        assert version[0].isdigit(), f"{name} is pinned to a range: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_a_sites_own_node_modules_come_first(tmp_path):
    own = tmp_path / "node_modules" / "opencc-js"
    own.mkdir(parents=True)
    (own / "package.json").write_text("{}", encoding="utf-8")
    assert tools.package_path("opencc-js", tmp_path) == own
    assert tools.package_path("@sveltia/cms", tmp_path).is_relative_to(tools.installed())  # not in the site: the cache


def test_without_npm_the_first_install_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("YIPIN_TOOLS", str(tmp_path / "tools"))
    monkeypatch.setattr("shutil.which", lambda name: None)
    tools.installed.cache_clear()
    try:
        with pytest.raises(MachineError) as info:
            tools.installed()
    finally:
        tools.installed.cache_clear()
    assert str(info.value).startswith("找不到 npm：网站的搜索工具 Pagefind 和网页编辑器要用 npm 安装（只需一次）。")
    assert "sudo apt-get install nodejs npm" in str(info.value)
    assert not (tmp_path / "tools").exists() or not any((tmp_path / "tools").iterdir())


def test_a_build_without_npm_exits_with_the_machine_code(tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "yipin", "init", str(site), "--yes"], check=True, capture_output=True)
    no_npm = tmp_path / "bin"   # a PATH with git (for page dates) and nothing of Node.js
    no_npm.mkdir()
    (no_npm / "git").symlink_to("/usr/bin/git")
    env = {**os.environ, "PATH": str(no_npm), "YIPIN_TOOLS": str(tmp_path / "empty-cache")}
    result = subprocess.run([sys.executable, "-m", "yipin", "build"], cwd=site, env=env, capture_output=True, text=True)
    assert result.returncode == MACHINE_EXIT, result.stderr
    assert "找不到 npm" in result.stderr and "Traceback" not in result.stderr
    assert not (site / "site").exists() and list(site.glob(".site.*")) == []
