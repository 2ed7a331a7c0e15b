"""The field reference of the editor guide, generated from the record models' schema so
it can never drift from what `yipin check` accepts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yipin.content.schema import build_schemas

__all__ = ["FieldRow", "field_reference"]


@dataclass(frozen=True)
class FieldRow:
    path: str
    title: str
    required: bool
    kind: str
    description: str
    examples: str


def field_reference(record: str = "case.schema.json") -> list[tuple[str, list[FieldRow]]]:
    """(section title, rows) for the record and each nested object, in reading order."""
    schema = build_schemas(None)[record]
    defs = schema.get("$defs", {})
    sections: list[tuple[str, list[FieldRow]]] = []
    seen: set[str] = set()

    def visit(title: str, node: dict[str, Any], prefix: str) -> None:
        rows, nested = [], []
        required = set(node.get("required", []))
        for name, prop in node.get("properties", {}).items():
            ref = _ref(prop)
            path = f"{prefix}{name}"
            rows.append(FieldRow(path, prop.get("title", ""), name in required, _kind(prop, defs),
                                 prop.get("description", ""), _examples(prop, defs)))
            if ref and ref not in seen:
                seen.add(ref)
                nested.append((ref, path + ("[]" if _is_list(prop) else "")))
        sections.append((title, rows))
        for ref, path in nested:
            visit(f"{defs[ref]['title']}（{path}）", defs[ref], path + ".")

    visit(schema["title"], schema, "")
    return sections


def _unwrap(prop: dict[str, Any]) -> dict[str, Any]:
    """The non-null alternative of `X | None`."""
    options = [p for p in prop.get("anyOf", []) if p.get("type") != "null"]
    return options[0] if len(options) == 1 else prop


def _is_list(prop: dict[str, Any]) -> bool:
    return _unwrap(prop).get("type") == "array"


def _ref(prop: dict[str, Any]) -> str | None:
    inner = _unwrap(prop)
    inner = inner.get("items", inner) if inner.get("type") == "array" else inner
    ref = inner.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else None


def _kind(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    inner = _unwrap(prop)
    if "$ref" in inner:
        return "一组字段"
    if "enum" in inner:
        return "可选：" + " / ".join(str(v) for v in inner["enum"])
    if inner.get("type") == "array":
        item = inner.get("items", {})
        kind = "列表（每项为一组字段）" if "$ref" in item else "列表（每项一段文字" + _length(item, "）")
        return kind + (f"，最多 {inner['maxItems']} 项" if "maxItems" in inner else "")
    kind = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false"}.get(
        str(inner.get("type")), "文字或数字" if isinstance(inner.get("type"), list) else "文字")
    return kind + _length(inner, "") + _range(inner)


def _length(schema: dict[str, Any], close: str) -> str:
    """The limits of a text, as the editor guide says them: '，最多 60 字'."""
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if high is None:
        return close
    return (f"，{low}–{high} 字" if low > 1 else f"，最多 {high} 字") + close


def _range(schema: dict[str, Any]) -> str:
    low, high = schema.get("minimum", schema.get("exclusiveMinimum")), schema.get("maximum")
    if high is None:
        return ""
    return f"，{_number(low)} 到 {_number(high)}" if low is not None else f"，最多 {_number(high)}"


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else str(value)


def _examples(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    inner = _unwrap(prop)
    return "、".join(str(e) for e in inner.get("examples", []))
