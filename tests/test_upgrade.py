"""Upgrades lose nothing: records state the record format they were written for (the
`yipin-format=N` mark on their first line; none means 1), every format up to this Yipin's is
read, and a file of a newer one is one clear error naming what to do."""

from __future__ import annotations

import shutil

from yipin import __version__
from yipin.commands.main import main
from yipin.content.models import FORMAT
from yipin.content.schema import modeline_for

from .conftest import FIXTURE_CONTENT, REPO, TESTS, build, make_content, site_config

PREVIOUS = TESTS / "fixtures" / "format-1" / "content"


def test_the_records_yipin_0_1_published_check_and_build_unchanged(tmp_path, monkeypatch, capsys):
    content = tmp_path / "content"
    shutil.copytree(PREVIOUS, content)
    shutil.copytree(REPO / "content" / "images", content / "images")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--content", "content"]) == 0, capsys.readouterr().out
    site = build(site_config(tmp_path, content))
    assert (site / "cases" / "zhouxin-lianjiang" / "index.html").is_file()
    published = [p for p in (PREVIOUS / "cases").glob("*.yaml") if "status: draft" not in p.read_text(encoding="utf-8")]
    assert len(list((site / "cases").glob("*/index.html"))) == len(published) == 13


def test_what_yipin_writes_states_the_format(tmp_path):
    assert modeline_for("cases/x.yaml").endswith(f"case.schema.json yipin-format={FORMAT}")
    first_lines = {p.read_text(encoding="utf-8").splitlines()[0] for p in (REPO / "content").rglob("*.yaml")}
    assert all(line.endswith(f"yipin-format={FORMAT}") for line in first_lines)


def test_a_record_of_a_newer_format_is_one_clear_error(in_tmp, capsys):
    content = make_content(in_tmp)
    case = content / "cases" / "base.yaml"
    text = (FIXTURE_CONTENT / "cases" / "base.yaml").read_text(encoding="utf-8")
    newer = FORMAT + 1
    case.write_text(text.replace("case.schema.json\n", f"case.schema.json yipin-format={newer}\n", 1)
                    + "inspired_by: 一个新版本才有的字段\n", encoding="utf-8")
    assert main(["check", "--content", "content"]) == 1
    assert capsys.readouterr().out == (
        f"content/cases/base.yaml:1:1: 这个文件是按 Yipin 记录格式 {newer} 写的（第一行的 yipin-format={newer}），"
        f"本机的 Yipin {__version__} 只认识到格式 {FORMAT}：请升级 Yipin——把 requirements.txt 里的版本号改成新版本，"
        "再运行 pip install -r requirements.txt\n")
