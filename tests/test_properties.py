"""Random damage to valid records only ever gives validation errors: never an exception,
never a half-formed line."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yipin.content.reader import read_document
from yipin.content.validate import validate_content
from yipin.errors import ContentErrors

from .conftest import FIXTURE_CONTENT

BASE = read_document(FIXTURE_CONTENT / "cases" / "base.yaml")[0].data
LINE = re.compile(r"^[^:]+:\d+:\d+: (\S+: )?.*[\u4e00-\u9fff].*$")

leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
    st.sampled_from(["", "2021-13", "每周五", "../x.jpg", "https://x", "published", "draft", "9999-99-99 99:99"]),
)
values = st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=20)


def paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from paths(value, prefix + (i,))


def mutate(data, path, action, value):
    if not path:
        return value if action != "drop" else {}
    head, rest = path[0], path[1:]
    copy = dict(data) if isinstance(data, dict) else list(data)
    if not rest and action == "drop":
        del copy[head]
    else:
        copy[head] = mutate(data[head], rest, action, value)
    return copy


def check_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(FIXTURE_CONTENT, content)
        (content / "cases" / "base.yaml").write_text(text, encoding="utf-8")
        try:
            validate_content(content)
        except ContentErrors as exc:
            assert exc.errors
            for error in exc.errors:
                assert LINE.match(str(error)), str(error)
                assert error.line >= 1 and error.column >= 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_records_only_give_validation_errors(data):
    all_paths = list(paths(BASE))
    path = data.draw(st.sampled_from(all_paths))
    action = data.draw(st.sampled_from(["drop", "replace"])) if path else "replace"
    record = mutate(BASE, path, action, data.draw(values))
    check_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False))


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2, max_value=80))
def test_deep_nesting_only_gives_validation_errors(depth):
    check_text("metrics: " + "[" * depth + "]" * depth + "\n" + yaml.safe_dump(
        {k: v for k, v in BASE.items() if k != "metrics"}, allow_unicode=True))


BASE_TEXT = (FIXTURE_CONTENT / "cases" / "base.yaml").read_text(encoding="utf-8")


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=len(BASE_TEXT) - 1), st.text(min_size=0, max_size=5),
       st.integers(min_value=0, max_value=10))
def test_edited_yaml_text_only_gives_validation_errors(position, insert, cut):
    check_text(BASE_TEXT[:position] + insert + BASE_TEXT[position + cut:])
