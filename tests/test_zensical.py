"""The door to Zensical stays open: Material for MkDocs reaches its end of life on 2027-05-05,
and Zensical, its successor, builds the pages `yipin export` writes with Yipin's own theme
files, once those use only what both template engines know (MiniJinja has no .startswith()).
Zensical 0.0.73 is the newest the package index here serves whole."""

from __future__ import annotations

import shutil
import subprocess

import platformdirs
from bs4 import BeautifulSoup

from yipin.commands.main import main
from yipin.themes import OVERRIDES

from .conftest import REPO
from .venvs import cached_venv

ZENSICAL = "zensical==0.0.73"
CONFIG = """site_name: 一品 · 社区治理品牌库
site_url: https://yipin.example.org/
docs_dir: docs
site_dir: site
theme:
  name: material
  language: zh
  font: false
  custom_dir: overrides
markdown_extensions:
  - toc:
      permalink: true
  - admonition
  - tables
  - attr_list
  - sane_lists
"""


def test_zensical_builds_the_exported_sample(tmp_path, monkeypatch):
    bin_dir = cached_venv(platformdirs.user_cache_path("yipin") / "test-venvs", ZENSICAL.replace("==", "-"), ZENSICAL)
    project = tmp_path / "zensical"
    monkeypatch.chdir(REPO)
    assert main(["export", str(project / "docs")]) == 0
    shutil.copytree(OVERRIDES, project / "overrides")
    (project / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    result = subprocess.run([str(bin_dir / "zensical"), "build", "-f", "mkdocs.yml"], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    page = BeautifulSoup((project / "site" / "cases" / "zhouxin-lianjiang" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    assert page.find("h1").get_text().startswith("连江营造计划")
    assert page.select_one("[data-pagefind-body]") is not None   # our main.html ran, not only Material's
