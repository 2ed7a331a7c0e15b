from __future__ import annotations

import json
import subprocess
import sys

import pytest

from yipin.commands.main import main

from .conftest import BAD_INPUTS, REPO, make_content


def test_sample_content_passes_check():
    result = subprocess.run([sys.executable, "-m", "yipin", "check", "--content", str(REPO / "content")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert "检查通过" in result.stderr


def test_json_format_lists_the_same_errors_as_objects(in_tmp, capsys):
    make_content(in_tmp, BAD_INPUTS / "many-errors")
    assert main(["check", "--content", "content", "--format", "json"]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert errors[1] == {
        "file": "content/cases/many.yaml", "line": 5, "column": 3, "field": "brand.slogn",
        "code": "unknown-key", "message": "未知字段 slogn，你是不是想写 slogan（口号）？",
    }
    text_lines = (BAD_INPUTS / "many-errors" / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert [f"{e['file']}:{e['line']}:{e['column']}: {e['field']}: {e['message']}" for e in errors] == text_lines


def test_json_format_of_clean_content_is_an_empty_list(in_tmp, capsys):
    make_content(in_tmp)
    assert main(["check", "--content", "content", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"errors": []}


@pytest.mark.parametrize("argv", [["check", "--format", "xml"], ["nonsense"], ["check", "--bogus"]])
def test_usage_errors_exit_2(argv):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "check" in capsys.readouterr().err


def test_missing_content_folder_is_a_content_error(in_tmp, capsys):
    assert main(["check", "--content", "nowhere"]) == 1
    assert capsys.readouterr().out == "nowhere:1:1: 找不到内容文件夹：请用 --content 指定 content/ 的位置\n"
