"""`yipin check --format github`: workflow commands GitHub and Gitea Actions understand."""

from __future__ import annotations

import re

from yipin.commands.formats import escape_data, escape_property, github_annotations
from yipin.commands.main import main
from yipin.errors import ContentError

from .conftest import BAD_INPUTS, make_content

# The Actions runner's parser (actions/toolkit command.ts, runner ActionCommand.cs):
# "::name key=value,key=value::message", properties split on ',' and '=' once.
COMMAND = re.compile(r"^::(?P<name>\w+) (?P<props>[^:]*)::(?P<message>.*)$")
UNESCAPE = [("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")]


def unescape(text: str) -> str:
    for escaped, plain in UNESCAPE:
        text = text.replace(escaped, plain)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    props = dict(part.split("=", 1) for part in match["props"].split(","))
    return match["name"], {k: unescape(v) for k, v in props.items()}, unescape(match["message"])


def test_each_error_is_one_annotation_on_its_line(in_tmp, capsys):
    make_content(in_tmp, BAD_INPUTS / "many-errors")
    assert main(["check", "--content", "content", "--format", "github"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "::error file=content/cases/many.yaml,line=4,col=9,title=brand.name::name（品牌名称）不能为空",
        "::error file=content/cases/many.yaml,line=5,col=3,title=brand.slogn::未知字段 slogn，你是不是想写 slogan（口号）？",
        "::error file=content/cases/many.yaml,line=15,col=9,title=themes::themes（主题）至少要有 1 项",
    ]
    assert err == "发现 3 个问题。\n"


def test_the_annotations_say_what_the_text_format_says(in_tmp, capsys):
    make_content(in_tmp, BAD_INPUTS / "many-errors")
    main(["check", "--content", "content", "--format", "github"])
    parsed = [parse(line) for line in capsys.readouterr().out.splitlines()]
    expected = (BAD_INPUTS / "many-errors" / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert [f"{p['file']}:{p['line']}:{p['col']}: {p['title']}: {m}" for _, p, m in parsed] == expected


def test_clean_content_prints_no_annotation(in_tmp, capsys):
    make_content(in_tmp)
    assert main(["check", "--content", "content", "--format", "github"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "检查通过" in err


def test_special_characters_are_escaped_and_survive_the_round_trip():
    error = ContentError("content/cases/a,b:c.yaml", 3, 7, "", "x", "100% 完成\r\n第二行: 含, 逗号")
    line = github_annotations([error]).removesuffix("\n")
    assert "\n" not in line and "\r" not in line
    assert line == ("::error file=content/cases/a%2Cb%3Ac.yaml,line=3,col=7,title=内容检查"
                    "::100%25 完成%0D%0A第二行: 含, 逗号")
    name, props, message = parse(line)
    assert (name, props["file"], props["title"], message) == ("error", error.file, "内容检查", error.message)


def test_escaping_matches_the_actions_toolkit():
    assert escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"
