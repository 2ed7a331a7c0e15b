"""The bad-input corpus: each folder under bad_inputs/ is laid over the valid fixture
content, and `yipin check` must print exactly the lines in its expected.txt."""

from __future__ import annotations

import pytest

from yipin.commands.main import main

from .conftest import BAD_INPUTS, make_content

KINDS = sorted(p.name for p in BAD_INPUTS.iterdir() if p.is_dir())


def test_fixture_content_is_valid(in_tmp, capsys):
    content = make_content(in_tmp)
    assert main(["check", "--content", str(content.relative_to(in_tmp))]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("kind", KINDS)
def test_bad_input_gives_exact_error_lines(kind, in_tmp, capsys):
    make_content(in_tmp, BAD_INPUTS / kind)
    assert main(["check", "--content", "content"]) == 1
    printed = capsys.readouterr().out
    expected = (BAD_INPUTS / kind / "expected.txt").read_text(encoding="utf-8")
    assert printed == expected


def test_every_kind_has_its_expectation():
    missing = [k for k in KINDS if not (BAD_INPUTS / k / "expected.txt").is_file()]
    assert missing == []
