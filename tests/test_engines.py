"""ProperDocs, the maintained fork of MkDocs 1.6, is a tested engine: the sample built by
`properdocs build` and by `yipin build` on ProperDocs is the sample built by `mkdocs build`,
page by page and byte by byte, but for the generator line each engine writes. Each engine
runs in a process of its own (ProperDocs answers for MkDocs's modules once loaded)."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, tree_digest

BIN = Path(sys.executable).parent
GENERATOR = re.compile(rb'<meta name="generator" content="([^"]*)">')


def _site(tmp_path: Path, name: str) -> Path:
    """The repository's sample site, its config in a folder of its own (content and docs read in place)."""
    folder = tmp_path / name
    folder.mkdir()
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for relative in ("docs", "content"):
        text = text.replace(f": {relative}\n", f": {REPO / relative}\n")
    (folder / "mkdocs.yml").write_text(text, encoding="utf-8")
    return folder


def _run(command: list[str], cwd: Path, engine: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "YIPIN_ENGINE"} | ({"YIPIN_ENGINE": engine} if engine else {})
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _generators(site: dict[str, bytes]) -> set[bytes]:
    return {m[1] for path, data in site.items() if path.endswith(".html") for m in GENERATOR.finditer(data)}


def _without_generator(site: dict[str, bytes]) -> dict[str, bytes]:
    return {path: GENERATOR.sub(b"", data) for path, data in site.items()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    tmp = tmp_path_factory.mktemp("engines")
    sites = {}
    for name, command, engine in (("mkdocs", [str(BIN / "mkdocs"), "build", "-q"], None),
                                  ("properdocs", [str(BIN / "properdocs"), "build", "-q"], None),
                                  ("yipin", [str(BIN / "yipin"), "build"], None)):
        folder = _site(tmp, name)
        result = _run(command, folder, engine)
        if name == "yipin":   # with both installed and no choice made, yipin build takes ProperDocs
            assert result.stderr.splitlines()[-1] == f"网站已生成：{folder / 'site'}（ProperDocs {_version('properdocs')}）"
        sites[name] = tree_digest(folder / "site")
    return sites


def _version(package: str) -> str:
    return importlib.metadata.version(package)


def test_properdocs_builds_every_page_and_file_mkdocs_builds(built):
    mkdocs, properdocs = built["mkdocs"], built["properdocs"]
    assert sorted(properdocs) == sorted(mkdocs)
    assert any(path.startswith("pagefind/") for path in mkdocs)   # search, the CSP'd pages, the API: all of it
    assert {"index.html", "404.html", "cases/index.html", "calendar/index.html", "api/v1/cases.json",
            "calendar.ics", "feed.xml"} <= set(mkdocs)


def test_what_differs_is_only_the_generator_line(built):
    mkdocs, properdocs = built["mkdocs"], built["properdocs"]
    material = _version("mkdocs-material")
    assert _generators(mkdocs) == {f"mkdocs-{_version('mkdocs')}, mkdocs-material-{material}".encode()}
    assert _generators(properdocs) == {f"mkdocs-ProperDocs {_version('properdocs')}, mkdocs-material-{material}".encode()}
    different = [path for path in mkdocs if _without_generator(mkdocs)[path] != _without_generator(properdocs)[path]]
    assert different == []


def test_yipin_build_on_properdocs_builds_what_properdocs_builds(built):
    assert built["yipin"] == built["properdocs"]


@pytest.mark.parametrize(("engine", "expected"), [("mkdocs", "MkDocs"), ("properdocs", "ProperDocs"), ("", "ProperDocs")])
def test_the_engine_is_chosen_once_for_the_process(engine, expected):
    program = ("from yipin.commands.engine import use_engine; print(use_engine());"
               "import mkdocs.plugins; print(mkdocs.plugins.__name__)")
    result = _run([sys.executable, "-c", program], REPO, engine or None)
    package = expected.lower()
    assert result.stdout.splitlines() == [f"{expected} {_version(package)}", f"{package}.plugins"]


def test_an_unknown_engine_is_one_line(tmp_path):
    env = os.environ | {"YIPIN_ENGINE": "hugo"}
    result = subprocess.run([str(BIN / "yipin"), "build"], cwd=_site(tmp_path, "site"), env=env, capture_output=True,
                            text=True, timeout=60)
    assert (result.returncode, result.stderr) == (2, "环境变量 YIPIN_ENGINE 只能是 properdocs 或 mkdocs，现在是“hugo”\n")
