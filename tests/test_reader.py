from __future__ import annotations

import re
from pathlib import Path

import pytest

from yipin.content.reader import MAX_FILE_BYTES, read_document


def read(tmp_path: Path, text: str | bytes):
    path = tmp_path / "x.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return read_document(path)


def test_yaml_1_2_core_scalars_keep_what_staff_wrote(tmp_path):
    doc, errors = read(tmp_path, "a: no\nb: 0763\nc: 1:30\nd: 2021-12\ne: 12\nf: 1.5\ng: 2022-11-26\nh:\ni: true\nj: off\n")
    assert errors == []
    assert doc.data == {"a": "no", "b": "0763", "c": "1:30", "d": "2021-12", "e": 12, "f": 1.5,
                        "g": "2022-11-26", "h": None, "i": True, "j": "off"}


def test_bom_is_accepted(tmp_path):
    doc, errors = read(tmp_path, b"\xef\xbb\xbfname: \xe8\xbf\x9e\xe6\xb1\x9f\n")
    assert errors == [] and doc.data == {"name": "连江"}


def test_positions_are_kept_for_every_value(tmp_path):
    doc, _ = read(tmp_path, "brand:\n  name: 连江\nthemes:\n  - 甲\n  - 乙\n")
    assert (doc.values[("brand", "name")].line, doc.values[("brand", "name")].column) == (2, 9)
    assert doc.values[("themes", 1)].line == 5
    assert doc.keys[("themes",)].line == 3


def test_missing_field_points_at_its_parent_key(tmp_path):
    doc, _ = read(tmp_path, "id: x\nbrand:\n  slogan: y\n")
    mark = doc.mark_of(("brand", "name"))
    assert (mark.line, mark.column) == (2, 1)


def test_oversized_file_is_refused_before_parsing(tmp_path):
    _, errors = read(tmp_path, "a: " + "字" * (MAX_FILE_BYTES // 3 + 10))
    assert [e.code for e in errors] == ["file-too-large"]


@pytest.mark.parametrize("text, code", [
    ("a: `x`\n", "yaml-char"),
    ('a: "C:\\path"\n', "yaml-escape"),
    ("a: [1, 2\nb: 3\n", "yaml-bracket"),
    ("a: |x\n  b\n", "yaml-block"),
    ('a: "abc" def\n', "yaml-extra-text"),
    ("a: *重要*\n", "yaml-anchor"),
    ("a: 1\nb: {<<: {c: 1}}\n", "yaml-anchor"),
    ("? [a, b]\n: 1\n", "yaml-key"),
])
def test_more_yaml_mistakes_get_their_own_code(tmp_path, text, code):
    _, errors = read(tmp_path, text)
    assert [e.code for e in errors] == [code]
    assert re.search(r"[\u4e00-\u9fff]{4}", errors[0].message)  # said in Chinese


def test_libyaml_fast_path_reads_exactly_as_the_python_loader(monkeypatch):
    """Valid files are parsed by libyaml for speed; data, positions and errors must be the
    same as the pure-Python loader's for every sample, fixture and bad-input file."""
    import yaml

    import yipin.content.reader as reader

    files = sorted((Path(__file__).parent.parent / "content").rglob("*.yaml")) + \
        sorted(Path(__file__).parent.rglob("*.yaml"))
    fast = {f: read_document(f) for f in files}
    monkeypatch.setattr(reader, "_compose", lambda text: yaml.compose(text, Loader=reader._Loader))
    for f in files:
        (doc, errors), (slow_doc, slow_errors) = fast[f], read_document(f)
        assert (doc.data, doc.values, doc.keys, errors) == (slow_doc.data, slow_doc.values, slow_doc.keys, slow_errors), f
