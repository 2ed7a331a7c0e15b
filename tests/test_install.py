"""Yipin as a street installs it: a wheel built from this repository, installed into a fresh
virtual environment outside the checkout, creates a site with `yipin init` (by flags and
through a terminal), checks and builds it, and the site works in Chromium: home, a search in
the library, a case page. Nothing is found beside the package's own source."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pexpect
import pytest

import yipin

from .browser import browser, serve
from .conftest import REPO
from .venvs import make_venv


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from the files git would commit, copied away so the checkout stays clean."""
    source = tmp_path_factory.mktemp("source")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for relative in filter(None, listed):
        if (REPO / relative).is_file():
            (source / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / relative, source / relative)
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(source)],
                   check=True, capture_output=True)
    (built,) = dist.glob("yipin-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    return make_venv(tmp_path_factory.mktemp("venv") / "venv", str(wheel))


def test_the_wheel_holds_the_package_and_its_data_only(wheel):
    assert wheel.name == f"yipin-{yipin.__version__}-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("yipin/commands/init.py", "yipin/themes/overrides/main.html", "yipin/themes/pages/case.md.j2",
                     "yipin/templates/site/mkdocs.yml.j2", "yipin/templates/site/content/taxonomy.yaml",
                     "yipin/templates/ci/github-actions.yml", "yipin/tools/package-lock.json"):
        assert expected in names, expected
    assert not [n for n in names if n.startswith(("tests/", "content/", "docs/", "generator/"))]


def run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([str(bin_dir / "yipin"), *args], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"yipin {' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result


def test_a_street_installs_creates_checks_builds_and_browses_its_site(installed, wheel, tmp_path):
    assert run(installed, "--version", cwd=tmp_path).stdout == f"yipin {yipin.__version__}\n"
    run(installed, "init", "zhouxin", "--yes", "--province", "广东省", "--city", "清远市", "--district", "清城区",
        "--street", "洲心街道", cwd=tmp_path)
    site = tmp_path / "zhouxin"
    assert "检查通过" in run(installed, "check", cwd=site).stderr
    # The site's requirements.txt installs this same Yipin elsewhere (here: from the wheel's file).
    requirement = (site / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1]
    assert requirement == f"yipin @ {wheel.as_uri()}#sha256={hashlib.sha256(wheel.read_bytes()).hexdigest()}"
    colleague = make_venv(tmp_path / "colleague", "-r", str(site / "requirements.txt"))
    assert run(colleague, "--version", cwd=tmp_path).stdout == f"yipin {yipin.__version__}\n"
    run(installed, "build", cwd=site)
    with serve(site / "site") as base, browser() as chromium:
        page = chromium.new_page(viewport={"width": 390, "height": 844})
        page.goto(base)
        assert page.title().endswith("洲心街道一社区一品牌")
        page.goto(base + "cases/?q=示例")
        page.wait_for_selector("[data-yp-results][aria-busy=false] .yp-card", state="attached")
        page.locator(".yp-results .yp-card a").first.click()
        page.wait_for_url("**/cases/zhouxin-example/")
        assert page.locator("h1").inner_text().startswith("示例品牌（请替换）")


def test_init_asks_in_a_terminal_from_the_installed_command(installed, tmp_path):
    child = pexpect.spawn(str(installed / "yipin"), ["init", "site"], cwd=str(tmp_path), encoding="utf-8", timeout=60)
    child.expect_exact("省份 [示例省]：")
    child.sendline("甘肃省")
    for _ in range(10):
        child.expect_exact("]：")
        child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "province: 甘肃省" in (tmp_path / "site" / "content" / "cases" / "shili-example.yaml").read_text(encoding="utf-8")
