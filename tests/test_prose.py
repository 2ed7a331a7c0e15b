"""Markdown fields: the sanitiser keeps formatting and drops everything else (defence in
depth: `yipin check` already refuses what it would drop, tests/bad_inputs/markdown-html)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from yipin.content.markdown import ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, ALLOWED_TAGS, DEFAULT_MARKDOWN_EXTENSIONS, Prose

PAYLOADS = [
    "正文<script>alert('bg')</script><img src=\"x\" onerror=\"alert(2)\">",
    "[点我](javascript:alert(3)) <iframe src=\"https://evil.example/\"></iframe>",
    "<a href=\"#\" onclick=\"alert(5)\">链接</a> **加粗**",
    "[报名](https://example.org/join){: .md-button onclick=\"alert(6)\"}",
    "<div class=\"md-typeset yp-hero\" style=\"position:fixed\">覆盖</div>",
    "<svg onload=alert(7)><use href=\"data:image/svg+xml,x\"/></svg>",
    "[数据](data:text/html,<script>alert(8)</script>) ![图](https://evil.example/a.png)",
    "<form action=\"https://evil.example/\"><input name=x></form><object data=\"x\"></object>",
]


@pytest.fixture(scope="module")
def prose() -> Prose:
    return Prose(DEFAULT_MARKDOWN_EXTENSIONS, {})


@pytest.mark.parametrize("text", PAYLOADS)
def test_only_the_allow_list_survives_and_check_names_the_rest(prose, text):
    soup = BeautifulSoup(prose.html(text), "html.parser")
    for tag in soup.find_all(True):
        assert tag.name in ALLOWED_TAGS
        for name, value in tag.attrs.items():
            if name == "rel":
                continue  # the sanitiser's own noopener noreferrer
            if name == "class":
                assert set(value) <= ALLOWED_CLASSES.get(tag.name, set()), value
            else:
                assert name in ALLOWED_ATTRIBUTES.get(tag.name, ()), (tag.name, name)
            if name == "href":
                assert value.split(":")[0] in {"https", "http", "mailto", "tel"} or ":" not in value
    assert prose.removed(text), "check must report what the sanitiser dropped"


def test_markdown_formatting_is_kept_and_not_reported(prose):
    text = "**加粗**、*强调*、[链接](https://example.org/a)、[相对链接](../b/)\n\n- 列表\n\n### 小标题\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n!!! note \"提示\"\n    提示框"
    soup = BeautifulSoup(prose.html(text), "html.parser")
    assert [t.name for t in soup.find_all(["strong", "em", "a", "ul", "h3", "table"])] == \
        ["strong", "em", "a", "a", "ul", "h3", "table"]
    assert soup.select_one("div.admonition.note p.admonition-title").get_text() == "提示"
    assert prose.removed(text) == []


def test_nesting_deep_enough_to_overflow_the_stack_is_refused_and_never_breaks_a_build(prose):
    text = "- " * 600 + "列表"
    assert [r.code for r in prose.removed(text)] == ["markdown-nesting"]
    assert prose.html(text) == f"<p>{text}</p>"  # rendered as the text it is, where Markdown would recurse 600 deep
    assert prose.removed("- " * 20 + "列表") == []
