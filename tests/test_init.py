"""`yipin init`: a street's site repository that checks, builds (search index included) and
holds only its own files; asked in Chinese through a terminal, or given by flags."""

from __future__ import annotations

import os
import sys

import pexpect
import pytest
import yaml
from bs4 import BeautifulSoup

from yipin.commands.init import CI_FILES, QUESTIONS
from yipin.commands.main import main
from yipin.commands.requirement import installed_yipin
from yipin.templates import SITE

from .conftest import REPO, build

FLAGS = ["--province", "广东省", "--city", "清远市", "--district", "清城区", "--street", "洲心街道",
         "--name", "洲心街道一社区一品牌", "--organisation", "清远市清城区洲心街道办事处", "--icp", "粤ICP备00000000号-9"]


class _Loader(yaml.SafeLoader):
    """mkdocs.yml's python tags read as None, as MkDocs' own config is not needed here."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def config_of(site) -> dict:
    return yaml.load((site / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)


@pytest.fixture(scope="module")
def new_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("init") / "zhouxin-site"
    assert main(["init", str(site), *FLAGS]) == 0
    return site


def test_the_site_holds_its_own_files_only(new_site):
    files = sorted(p.relative_to(new_site).as_posix() for p in new_site.rglob("*") if p.is_file())
    assert files == [
        ".github/workflows/site.yml", ".gitignore", ".pre-commit-config.yaml", ".vscode/extensions.json",
        ".vscode/settings.json", "README.md", "content/cases/zhouxin-example.yaml", "content/streets/zhouxin.yaml",
        "content/taxonomy.yaml", "docs/index.md", "mkdocs.yml", "requirements.txt", "schema/case.schema.json",
        "schema/street.schema.json", "schema/taxonomy.schema.json"]
    assert (new_site / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1] == installed_yipin().line
    assert not (new_site / "package.json").exists()


def test_the_answers_reach_the_configuration(new_site):
    config = config_of(new_site)
    options = next(p["yipin"] for p in config["plugins"] if isinstance(p, dict) and "yipin" in p)
    assert (config["site_name"], options["organisation"], options["icp"]) == (
        "洲心街道一社区一品牌", "清远市清城区洲心街道办事处", "粤ICP备00000000号-9")
    assert options["cms"]["backend"] == "github"
    assert options["region"] == {"province": "广东省", "city": "清远市", "district": "清城区", "street": "洲心街道"}
    assert "custom_dir" not in config["theme"]   # Yipin's theme comes with the package


def test_the_default_taxonomy_is_the_samples(new_site):
    assert (new_site / "content" / "taxonomy.yaml").read_bytes() == (REPO / "content" / "taxonomy.yaml").read_bytes() \
        == (SITE / "content" / "taxonomy.yaml").read_bytes()


def test_check_then_build_give_the_whole_site(new_site, monkeypatch, capsys):
    monkeypatch.chdir(new_site)
    assert main(["check"]) == 0
    assert "检查通过：1 个案例（1 个发布），1 个街道档案。" in capsys.readouterr().err
    site = build(new_site / "mkdocs.yml")
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "洲心街道一社区一品牌" in home.title.get_text()
    assert "粤ICP备00000000号-9" in home.get_text()
    assert (site / "cases" / "zhouxin-example" / "index.html").is_file()
    assert (site / "streets" / "qingcheng-zhouxin" / "index.html").is_file()
    assert (site / "pagefind" / "pagefind.js").is_file()               # the search index
    assert (site / "assets" / "stylesheets" / "yipin.css").is_file()     # the theme, from the package
    assert (site / "admin" / "index.html").is_file()


@pytest.mark.parametrize("forge", sorted(CI_FILES))
def test_each_forge_gets_its_workflow(forge, tmp_path):
    assert main(["init", str(tmp_path / "site"), "--yes", "--forge", forge]) == 0
    source, target = CI_FILES[forge]
    assert (tmp_path / "site" / target).read_bytes() == (SITE.parent / "ci" / source).read_bytes()
    assert next(p["yipin"] for p in config_of(tmp_path / "site")["plugins"] if isinstance(p, dict))["cms"]["backend"] == forge


def test_a_folder_that_is_not_empty_is_refused_unless_told(tmp_path, capsys):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "README.md").write_text("我们自己的说明", encoding="utf-8")
    assert main(["init", str(folder), "--yes"]) == 2
    assert f"文件夹 {folder} 不是空的：换一个新文件夹名，或加 --force 写入（已有的文件不会被覆盖）" in capsys.readouterr().err
    assert main(["init", str(folder), "--yes", "--force"]) == 0
    assert (folder / "README.md").read_text(encoding="utf-8") == "我们自己的说明"
    assert f"已有 {folder / 'README.md'}，没有覆盖" in capsys.readouterr().err
    assert (folder / "mkdocs.yml").is_file()


def test_force_never_writes_through_a_link_or_over_a_file_in_the_way(tmp_path, capsys):
    folder = tmp_path / "site"
    folder.mkdir()
    outside = tmp_path / "outside.yml"
    (folder / "mkdocs.yml").symlink_to(outside)  # a broken link: writing "to" it would create outside.yml
    (folder / "schema").mkdir()
    (folder / "schema" / "case.schema.json").write_text("我们的", encoding="utf-8")
    (folder / "docs").write_text("一个文件，不是文件夹", encoding="utf-8")
    assert main(["init", str(folder), "--yes", "--force"]) == 0
    assert not outside.exists() and (folder / "mkdocs.yml").is_symlink()
    assert (folder / "schema" / "case.schema.json").read_text(encoding="utf-8") == "我们的"
    assert (folder / "docs").read_text(encoding="utf-8") == "一个文件，不是文件夹"
    error = capsys.readouterr().err
    assert f"已有 {folder / 'mkdocs.yml'}，没有覆盖" in error and f"已有 {folder / 'docs' / 'index.md'}，没有覆盖" in error
    assert (folder / "schema" / "street.schema.json").is_file() and (folder / "content" / "taxonomy.yaml").is_file()


def test_an_unknown_forge_is_refused(tmp_path, capsys):
    assert main(["init", str(tmp_path / "site"), "--yes", "--forge", "svn"]) == 2
    assert "代码托管平台只能是 github、gitlab、gitea，现在是“svn”" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_questions_in_a_terminal_each_with_its_default(tmp_path):
    """Through a pseudo-terminal, as staff run it: Enter takes the default shown."""
    answers = {"省份": "甘肃省", "城市": "兰州市", "区县": "城关区", "街道": "刘家堡街道"}
    child = pexpect.spawn(sys.executable, ["-m", "yipin", "init", str(tmp_path / "site")], encoding="utf-8",
                          timeout=30, env={**os.environ, "PYTHONPATH": str(REPO / "generator")})
    for question in QUESTIONS:
        child.expect_exact(f"{question.prompt} [")
        child.sendline(answers.get(question.prompt, ""))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    config = config_of(tmp_path / "site")
    assert config["site_name"] == "刘家堡街道一社区一品牌"                  # built from the street's answer
    assert (tmp_path / "site" / "content" / "streets" / "liujiabao.yaml").is_file()
