"""`yipin diff <ref>`: cases and pages a change touches, for the reviewer."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from yipin.commands.main import main

from .conftest import make_content, site_config

GIT = ["git", "-c", "user.name=测试", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main",
       "-c", "commit.gpgsign=false"]


def git(repo: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site repository with two published cases committed on main."""
    content = make_content(tmp_path)
    second = (content / "cases" / "base.yaml").read_text(encoding="utf-8")
    second = second.replace("id: base", "id: second").replace("样例品牌", "第二个品牌")
    (content / "cases" / "second.yaml").write_text(second, encoding="utf-8")
    site_config(tmp_path, Path("content"))
    (tmp_path / ".gitignore").write_text("/.yipin-cache/\n", encoding="utf-8")  # as the site repository's
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "初始内容")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def change_content(repo: Path) -> None:
    cases = repo / "content" / "cases"
    edit(cases / "base.yaml", "slogan: 样例口号", "slogan: 新的口号")
    edit(cases / "base.yaml", "  background: 背景说明。", "  background: |\n    背景说明。\n    又补充了一行。")
    edit(cases / "base.yaml", "themes: [党建, 社区营造]", "themes: [党建, 社区营造, 志愿服务]")
    edit(cases / "base.yaml", "      body: 做法内容。\n", "      body: 做法内容。\n    - title: 第二项做法\n      body: 新做法。\n")
    (cases / "second.yaml").unlink()
    assert main(["new", "--content", "content", "--id", "third", "--name", "第三个品牌"]) == 0


def diff(*argv: str) -> int:
    return main(["diff", "-f", "mkdocs.yml", *argv])


def test_no_change_says_so(repo, capsys):
    assert diff("HEAD") == 0
    assert capsys.readouterr().out == "与 HEAD 相比，内容和网站都没有改动。\n"


def test_cases_added_removed_and_changed_field_by_field(repo, capsys):
    change_content(repo)
    capsys.readouterr()
    assert diff("main") == 0
    out = capsys.readouterr().out
    head, _, pages = out.partition("\n\n网站上会变化的页面")
    assert head.splitlines() == [
        "与 main 相比：新增 1 个、删除 1 个、修改 1 个案例或街道档案。",
        "",
        "✎ 修改案例 base「样例品牌」",
        "    brand.slogan（口号）：样例口号 → 新的口号",
        "    themes（主题）：党建引领、社区营造 → 党建引领、社区营造、志愿服务",
        "    story.background（背景与起因）：文字有改动：+1 行 −0 行，5 字 → 12 字",
        "    story.practices[1].title（做法标题）：（无） → 第二项做法",
        "    story.practices[1].body（做法内容）：新写了 4 字",
        "",
        "－ 删除案例 second「第二个品牌」",
        "",
        "＋ 新增案例 third「第三个品牌」（草稿，不会发布）",
    ]
    listed = {line.split()[0]: line for line in pages.splitlines()[1:] if line.startswith("    /")}
    assert "案例：样例品牌" in listed["/cases/base/"]
    assert "（删除）" in listed["/cases/second/"]
    assert "/cases/third/" not in listed                      # a draft changes no page
    for url in ("/", "/cases/", "/districts/"):               # home (featured), library, region index
        assert url in listed
    assert any(u.startswith("/streets/") for u in listed) and any(u.startswith("/districts/") and u != "/districts/"
                                                                  for u in listed)
    assert "/api/v1/cases.json" in out and "/api/v1/cases/second.json（删除）" in out


def test_json_lists_the_same_changes(repo, capsys):
    change_content(repo)
    capsys.readouterr()
    assert diff("main", "--format", "json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ref"] == "main"
    changes = {r["id"]: r for r in result["records"]}
    assert {i: r["change"] for i, r in changes.items()} == {"base": "changed", "second": "removed", "third": "added"}
    slogan = changes["base"]["fields"][0]
    assert slogan == {"path": "brand.slogan", "title": "口号", "old": "样例口号", "new": "新的口号", "summary": ""}
    background = next(f for f in changes["base"]["fields"] if f["path"] == "story.background")
    assert background["summary"].startswith("文字有改动") and background["old"] is None
    assert {"path": "cases/base/index.md", "change": "changed", "label": "案例：样例品牌"} in result["pages"]
    assert {"path": "api/v1/cases/second.json", "change": "removed", "label": ""} in result["files"]


def test_a_street_profile_change_is_listed_too(repo, capsys):
    streets = repo / "content" / "streets"
    streets.mkdir(exist_ok=True)
    (streets / "yangli.yaml").write_text(
        "name: 样例街道\nregion: {province: 广东省, city: 清远市, district: 清城区}\nintro: 街道介绍。\n", encoding="utf-8")
    assert diff("HEAD") == 0
    out = capsys.readouterr().out
    assert "＋ 新增街道档案 yangli「样例街道」" in out


def test_an_unknown_ref_is_a_usage_error(repo, capsys):
    assert diff("no-such-branch") == 2
    assert capsys.readouterr().err == "找不到 git 版本 no-such-branch：可以写分支名（如 main）、标签或提交编号\n"


def test_errors_in_the_working_tree_are_shown_first(repo, capsys):
    edit(repo / "content" / "cases" / "base.yaml", "slogan: 样例口号", "slogn: 样例口号")
    assert diff("HEAD") == 1
    out, err = capsys.readouterr()
    assert out == "content/cases/base.yaml:5:3: brand.slogn: 未知字段 slogn，你是不是想写 slogan（口号）？\n"
    assert err == "工作区的内容有 1 个问题，先改正再比较。\n"


def test_outside_a_git_repository_it_says_so(tmp_path, monkeypatch, capsys):
    make_content(tmp_path)
    site_config(tmp_path, Path("content"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert diff("HEAD") == 2
    assert capsys.readouterr().err.startswith("git rev-parse --show-toplevel 失败：")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is required")
def test_the_working_tree_is_left_as_it_was(repo, capsys):
    change_content(repo)
    before = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout
    diff("main")
    after = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout
    assert before == after
