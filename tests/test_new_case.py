"""`yipin new`: a complete, commented draft that passes `yipin check` as written."""

from __future__ import annotations

import io
import re

import pytest
import yaml

from yipin.commands.main import main
from yipin.content.fields import fields_of
from yipin.content.models import Case
from yipin.content.models.base import models_within
from yipin.content.reader import read_document

from .browser import serve
from .conftest import make_content


class FakeTerminal(io.StringIO):
    """Typed answers, one a line, on a standard input that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def new(*argv: str) -> int:
    return main(["new", "--content", "content", *argv])


def check_passes(capsys) -> None:
    capsys.readouterr()
    assert main(["check", "--content", "content"]) == 0, capsys.readouterr().out


def test_flags_alone_write_a_draft_that_passes_check(in_tmp, capsys):
    make_content(in_tmp)
    assert new("--id", "jiangwan-park", "--name", "江湾公园品牌", "--kind", "street", "--themes", "社区营造、志愿服务") == 0
    assert "已写入 content/cases/jiangwan-park.yaml（草稿，不会发布）" in capsys.readouterr().err
    text = (in_tmp / "content" / "cases" / "jiangwan-park.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["status"] == "draft"
    assert data["brand"] == {"name": "江湾公园品牌"}
    assert data["community"]["kind"] == "street"
    assert data["themes"] == ["社区营造", "志愿服务"]
    assert data["community"]["region"]["province"] == "（待填写）"
    check_passes(capsys)


def test_the_file_starts_with_the_schema_line_and_explains_every_field(in_tmp):
    make_content(in_tmp)
    assert new("--id", "demo") == 0
    text = (in_tmp / "content" / "cases" / "demo.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schema/case.schema.json yipin-format=1"
    for model in models_within(Case):
        for spec in fields_of(model):
            # each field is written, or written commented out, with its Chinese title
            assert re.search(rf"^\s*(# )?\s*(- )?{spec.key}:", text, re.M), spec.key
            assert spec.title in text, spec.title
    assert "# 品牌名称：品牌的正式名称，如 连江营造计划" in text        # comments come from the models
    assert "# 词表里的词：党建引领、社区营造、志愿服务" in text        # the taxonomy's terms, for plain editors


def test_commented_out_fields_become_valid_when_uncommented(in_tmp, capsys):
    """Removing '# ' from an optional block leaves YAML the reader parses into that field."""
    make_content(in_tmp)
    assert new("--id", "demo") == 0
    path = in_tmp / "content" / "cases" / "demo.yaml"
    text = path.read_text(encoding="utf-8")
    block = re.search(r"^# partners:\n(#   .*\n)+", text, re.M).group(0)
    filled = block.replace("# ", "", 1).replace("\n#   ", "\n  ")
    filled = re.sub(r"name:\s+#.*", "name: 样例单位", filled)
    filled = re.sub(r"role:\s+#.*", "role: 共建", filled)
    path.write_text(text.replace(block, filled), encoding="utf-8")
    doc, errors = read_document(path)
    assert errors == []
    assert doc.data["partners"] == [{"name": "样例单位", "role": "共建"}]
    check_passes(capsys)


def test_an_existing_file_is_never_overwritten(in_tmp, capsys):
    make_content(in_tmp)
    before = (in_tmp / "content" / "cases" / "base.yaml").read_bytes()
    assert new("--id", "base") == 1
    assert capsys.readouterr().err == "content/cases/base.yaml 已经存在，没有覆盖：换一个编号，或者直接编辑这个文件。\n"
    assert (in_tmp / "content" / "cases" / "base.yaml").read_bytes() == before


@pytest.mark.parametrize(("argv", "message"), [
    (["--id", "Bad_ID"], "--id: 编号“Bad_ID”不合规：只能用小写字母、数字和连字符，如 zhouxin-lianjiang"),
    (["--id", "x", "--kind", "village"], "--kind: “village”不是可选值：只能写 urban、rural、resettlement、street、district"),
    (["--id", "x", "--themes", "社区营早"], "--themes: “社区营早”不在词表 content/taxonomy.yaml 的主题里。你是不是想写“社区营造”？"),
    (["--name", "没有编号"], "请用 --id 指定新案例的编号（也是文件名），如 --id zhouxin-lianjiang"),
])
def test_bad_answers_are_refused_with_the_checks_own_words(in_tmp, capsys, argv, message):
    make_content(in_tmp)
    assert new(*argv) == 2
    assert capsys.readouterr().err == message + "\n"
    assert sorted(p.name for p in (in_tmp / "content" / "cases").iterdir()) == ["base.yaml"]


def test_from_writes_a_starter_for_another_street(in_tmp, capsys):
    make_content(in_tmp)
    assert new("--from", "base", "--id", "our-brand", "--province", "广东省") == 0
    data = yaml.safe_load((in_tmp / "content" / "cases" / "our-brand.yaml").read_text(encoding="utf-8"))
    assert data["status"] == "draft"
    assert data["community"]["region"] == {"province": "广东省", "city": "（待填写）", "district": "（待填写）",
                                           "street": "（待填写）"}
    assert [p["title"] for p in data["story"]["practices"]] == ["第一项做法"]   # the method, as a checklist
    assert data["replication"]["contact"] == {"org": "（待填写）负责单位"}       # no one else's contact
    assert "样例社区" not in str(data)
    assert data["inspired_by"] == "base"    # who copied whom: the case page will say 借鉴自
    check_passes(capsys)


def test_from_a_case_page_on_another_site_starts_from_its_starter(in_tmp, capsys, sample_site):
    """The starter another site publishes next to its case page, kept to this site's words."""
    make_content(in_tmp)
    with serve(sample_site) as url:
        page = url + "cases/liwan-elevators/"
        assert new("--from", page + "index.html", "--id", "our-lifts") == 0
    data = yaml.safe_load((in_tmp / "content" / "cases" / "our-lifts.yaml").read_text(encoding="utf-8"))
    assert (data["status"], data["inspired_by"]) == ("draft", page)
    original = yaml.safe_load((sample_site / "cases/liwan-elevators/starter.yaml").read_text(encoding="utf-8"))
    assert [p["title"] for p in data["story"]["practices"]] == [p["title"] for p in original["story"]["practices"]]
    taxonomy = yaml.safe_load((in_tmp / "content" / "taxonomy.yaml").read_text(encoding="utf-8"))
    assert set(data["themes"]) <= {t["term"] for t in taxonomy["themes"]}
    check_passes(capsys)


def test_from_a_page_that_cannot_be_read_writes_nothing(in_tmp, capsys):
    make_content(in_tmp)
    with serve(in_tmp) as url:
        missing = url + "cases/nowhere/"
        assert new("--from", missing, "--id", "x") == 1
    assert capsys.readouterr().out == (
        f"{missing}starter.yaml:1:1: 读不到这个案例的起步模板（服务器回答 HTTP 404）：--from 后面写案例页面的网址，"
        "如 https://example.gov.cn/cases/zhouxin-lianjiang/\n")
    assert not (in_tmp / "content" / "cases" / "x.yaml").exists()


def test_from_an_unknown_case_is_an_error(in_tmp, capsys):
    make_content(in_tmp)
    assert new("--from", "nowhere", "--id", "x") == 1
    assert capsys.readouterr().out == (
        "content/cases:1:1: 找不到案例 nowhere：--from 后面写 content/cases/ 里已有案例的编号（文件名）\n")


def test_a_terminal_without_flags_asks_in_chinese_and_checks_each_answer(in_tmp, capsys, monkeypatch):
    make_content(in_tmp)
    answers = ["Bad_ID", "base", "jiangwan-park",   # a bad id, a taken one, then a good one
               "江湾公园品牌", "",                     # the brand; the community skipped
               "9", "2",                              # an unknown kind, then 2 = rural
               "广东省", "清远市", "清城区", "洲心街道",
               "社区营早", "2 3"]                      # a misspelt theme, then two numbers
    monkeypatch.setattr("sys.stdin", FakeTerminal("\n".join(answers) + "\n"))
    assert main(["new", "--content", "content"]) == 0
    err = capsys.readouterr().err
    assert "编号：也是文件名和网址的一部分" in err
    assert "  编号“Bad_ID”不合规：只能用小写字母、数字和连字符，如 zhouxin-lianjiang" in err
    assert "  编号 base 已被使用：请换一个" in err
    assert "  2. rural 农村社区" in err
    assert "  “9”不是可选值：只能写 urban、rural、resettlement、street、district" in err
    assert "  “社区营早”不在词表 content/taxonomy.yaml 的主题里。你是不是想写“社区营造”？" in err
    data = yaml.safe_load((in_tmp / "content" / "cases" / "jiangwan-park.yaml").read_text(encoding="utf-8"))
    assert data["brand"]["name"] == "江湾公园品牌"
    assert data["community"]["name"] == "（待填写）社区名称"
    assert data["community"]["kind"] == "rural"
    assert data["community"]["region"] == {"province": "广东省", "city": "清远市", "district": "清城区",
                                           "street": "洲心街道"}
    assert data["themes"] == ["社区营造", "志愿服务"]
    check_passes(capsys)


def test_a_district_wide_brand_is_not_asked_for_a_street(in_tmp, capsys, monkeypatch):
    make_content(in_tmp)
    answers = ["qingcheng-all", "清城一家亲", "清城区", "5", "广东省", "清远市", "清城区", "1"]
    monkeypatch.setattr("sys.stdin", FakeTerminal("\n".join(answers) + "\n"))
    assert main(["new", "--content", "content"]) == 0
    assert "街道：" not in capsys.readouterr().err
    data = yaml.safe_load((in_tmp / "content" / "cases" / "qingcheng-all.yaml").read_text(encoding="utf-8"))
    assert data["community"]["region"] == {"province": "广东省", "city": "清远市", "district": "清城区"}
    check_passes(capsys)


def test_end_of_input_while_asking_writes_nothing(in_tmp, capsys, monkeypatch):
    make_content(in_tmp)
    monkeypatch.setattr("sys.stdin", FakeTerminal("half-done\n"))
    assert main(["new", "--content", "content"]) == 1
    assert "已取消，没有写入文件。" in capsys.readouterr().err
    assert not (in_tmp / "content" / "cases" / "half-done.yaml").exists()


def test_without_a_taxonomy_it_says_so_and_writes_nothing(in_tmp, capsys):
    make_content(in_tmp)
    (in_tmp / "content" / "taxonomy.yaml").unlink()
    assert new("--id", "x") == 1
    assert capsys.readouterr().out == "content/taxonomy.yaml:1:1: 缺少词表文件 taxonomy.yaml：主题和服务人群要从词表里选\n"
    assert not (in_tmp / "content" / "cases" / "x.yaml").exists()
