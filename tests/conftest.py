from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
REPO = TESTS.parent
FIXTURE_CONTENT = TESTS / "fixtures" / "content"
BAD_INPUTS = TESTS / "bad_inputs"

# The tests build in their own process with MkDocs; ProperDocs, once loaded, would answer for
# MkDocs for the rest of the process (yipin/commands/engine.py). tests/test_engines.py runs
# both engines, each in a process of its own, and compares what they build.
os.environ.setdefault("YIPIN_ENGINE", "mkdocs")


def dev_tool(package: str, *path: str) -> Path:
    """A file of a pinned front-end tool, the test tools included (yipin/tools/)."""
    from yipin import tools
    return tools.package_path(package, dev=True).joinpath(*path)


def make_content(tmp_path: Path, *overlays: Path) -> Path:
    """A copy of the fixture content with each overlay folder copied on top."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for overlay in overlays:
        shutil.copytree(overlay, content, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    return content


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from tmp_path, so reported paths read content/cases/x.yaml."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder anyone may enter (pytest's tmp_path lies in root's private folder)."""
    folder = Path(tempfile.mkdtemp(prefix="yipin-permissions-"))
    folder.chmod(0o755)
    yield folder
    _unlock(folder)  # a test may have locked a folder anywhere inside
    shutil.rmtree(folder)


def _unlock(folder: Path) -> None:
    folder.chmod(0o755)
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            _unlock(child)


def site_config(tmp_path: Path, content: Path, *, site_url: str | None = None, site_name: str | None = None,
                **plugin: object) -> Path:
    """A mkdocs.yml like the repository's, building ``content`` into tmp_path/site."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: docs", f"docs_dir: {REPO / 'docs'}")
    if site_url is not None:
        text = text.replace("site_url: https://yipin.example.org/", f"site_url: {site_url}")
    if site_name is not None:
        text = text.replace("site_name: 一品 · 社区治理品牌库", f"site_name: {json.dumps(site_name, ensure_ascii=False)}")
    start = text.index("  - yipin:")
    end = text.index("\n\n", start)
    options = {"content": str(content), "featured": [], **plugin}
    block = "  - yipin:\n" + "".join(f"      {k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in options.items())
    config = tmp_path / "mkdocs.yml"
    config.write_text(text[:start] + block.rstrip("\n") + text[end:], encoding="utf-8")
    return config


def build(config: Path) -> Path:
    """Build with MkDocs exactly as `mkdocs build` does; returns site_dir."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    loaded = load_config(str(config), site_dir=str(config.parent / "site"))
    loaded.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(loaded)
    return config.parent / "site"


def tree_digest(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The repository's own mkdocs.yml and content/, built once per test session."""
    tmp = tmp_path_factory.mktemp("sample")
    config = tmp / "mkdocs.yml"
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for relative in ("docs", "content"):
        text = text.replace(f": {relative}\n", f": {REPO / relative}\n")
    config.write_text(text, encoding="utf-8")
    return build(config)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """`make check-site`: one line per gate figure recorded with record_property."""
    figures = [(report.nodeid.split("::")[-1], name, value)
               for reports in terminalreporter.stats.values() for report in reports
               if getattr(report, "when", "") == "call" for name, value in getattr(report, "user_properties", [])]
    if figures:
        terminalreporter.section("quality gates")
        for test, name, value in sorted(figures):
            terminalreporter.write_line(f"{name:<28} {value!s:>6}  {test}")
