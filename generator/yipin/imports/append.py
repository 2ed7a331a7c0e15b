"""New activities appended to a case file as text, so that its comments, order, quoting and
line endings stay as staff wrote them: after the last item of ``activities:`` at that list's
indentation, or as a new ``activities:`` at the end of the file. The result is read back
with the project's reader and checked like any record before anyone writes it.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from yipin.content.fields import field_at, fields_of
from yipin.content.loaded import Loaded
from yipin.content.models import Activity, Case, Taxonomy
from yipin.content.reader import Document, read_document
from yipin.content.rules import check_case
from yipin.content.validate import validate_document
from yipin.errors import ContentErrors, YipinError

__all__ = ["append_activities", "activities_yaml"]

_BOM = "\ufeff"
_PLAIN_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?")   # the reader keeps these as text
_TOP_KEY = re.compile(r"[A-Za-z_][\w-]*:\s*(#.*)?$")
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def activities_yaml(items: list[dict[str, Any]], pad: str = "  ", inner: int = 2) -> list[str]:
    """The items as block-list lines, the dash at ``pad``, each field ``inner`` further in, in
    the model's field order."""
    order = [spec.key for spec in fields_of(Activity)]
    lines: list[str] = []
    for item in items:
        for i, key in enumerate(sorted(item, key=order.index)):
            lead = pad + ("- " if i == 0 else " " * 2).ljust(inner)
            lines += _field(lead, key, item[key], pad + " " * (inner + 2))
    return lines


def _field(lead: str, key: str, value: Any, deeper: str) -> list[str]:
    if isinstance(value, str) and "\n" in value and value[0] not in " \t\n":
        return [f"{lead}{key}: |-"] + [f"{deeper}{line}".rstrip() for line in value.split("\n")]
    if isinstance(value, str) and _PLAIN_MOMENT.fullmatch(value):
        return [f"{lead}{key}: {value}"]
    text = yaml.dump(value, Dumper=_DUMPER, allow_unicode=True, default_flow_style=True, width=1_000_000)
    return [f"{lead}{key}: {text.removesuffix(chr(10)).removesuffix(chr(10) + '...')}"]


def append_activities(doc: Document, items: list[dict[str, Any]], taxonomy: Taxonomy) -> tuple[str, bytes]:
    """The lines added and the whole new file, checked: it reads back as the case with exactly
    these activities added and passes the case's rules."""
    newline = "\r\n" if "\r\n" in doc.text else "\n"
    lines = doc.text.removesuffix(newline).split(newline)
    if ("activities",) in doc.keys:
        at, added = _into_list(doc, lines, items)
    else:
        at, added = _new_key(lines, items)
    text = newline.join(lines[:at] + added + lines[at:]) + newline
    bom = doc.path.read_bytes().startswith(_BOM.encode()) if doc.path.is_file() else False
    data = ((_BOM if bom else "") + text).encode("utf-8")
    _verify(doc, data, items, taxonomy)
    return "\n".join(added).strip("\n") + "\n", data


def _into_list(doc: Document, lines: list[str], items: list[dict[str, Any]]) -> tuple[int, list[str]]:
    key = doc.keys[("activities",)]
    if not doc.data.get("activities"):   # `activities:`, `activities: []` or `activities: null`
        lines[key.line - 1] = re.sub(r"^(\s*activities:)\s*(?:\[\s*\]|null|~)", r"\1", lines[key.line - 1]).rstrip()
        return key.line, activities_yaml(items, *_list_style(lines))
    dash = doc.values[("activities",)]
    if lines[dash.line - 1][dash.column - 1] == "[":
        raise YipinError(f"{doc.display}:{dash.line}:{dash.column}: activities 写在了一行里（[…]），无法自动追加："
                         "请先改成每项一行、以“- ”开头的写法，再导入")
    first = doc.values[("activities", 0)]
    inner = first.column - dash.column if first.line == dash.line else 2
    return _list_end(doc, lines, key.line, dash.column - 1), activities_yaml(items, " " * (dash.column - 1), inner)


def _list_end(doc: Document, lines: list[str], key_line: int, dash: int) -> int:
    """The index of the line after the list's last one: before the next top-level key and
    the blank lines and top-level comments above it (those belong to that key)."""
    following = [m.line for loc, m in doc.keys.items() if len(loc) == 1 and m.line > key_line]
    at = min(following) - 1 if following else len(lines)
    while at > key_line:
        line = lines[at - 1]
        indent = len(line) - len(line.lstrip())
        if line.strip() and not (line.lstrip().startswith("#") and indent < max(dash, 1)):
            break
        at -= 1
    return at


def _new_key(lines: list[str], items: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """``activities:`` at the end, described as `yipin new` describes every field."""
    spec = field_at(Case, ("activities",))
    assert spec is not None
    while lines and not lines[-1].strip():
        lines.pop()
    return len(lines), ["", f"# {spec.title}：{spec.description}", "activities:", *activities_yaml(items, *_list_style(lines))]


def _list_style(lines: list[str]) -> tuple[str, int]:
    """How this file writes a list under a top-level key (partners:, sources: …): the dash's
    indentation and how far the item's fields stand from the dash."""
    for above, line in zip(lines, lines[1:], strict=False):
        found = re.match(r"( *)-( +)\S", line)
        if found and _TOP_KEY.match(above):
            return found[1], 1 + len(found[2])
    indented = next((re.match(r" +", line) for line in lines if re.match(r" +[^ #]", line)), None)
    return (indented[0] if indented else "  "), 2


def _verify(doc: Document, data: bytes, items: list[dict[str, Any]], taxonomy: Taxonomy) -> None:
    after, errors = read_document(doc.path, data)
    case = None
    if not errors:
        case, errors = validate_document(after, Case, {"taxonomy": taxonomy})
    if case is not None:
        errors = check_case(Loaded(case, after))
    before = list(doc.data.get("activities") or [])
    if errors or not isinstance(after.data, dict) or after.data.get("activities") != before + items:
        raise YipinError(f"{doc.display}: 追加活动后文件读出来不对，没有写入（这是 Yipin 的问题，请把表格和这个文件"
                         "发给维护者）" + "".join(f"\n{e}" for e in ContentErrors(errors).errors))
