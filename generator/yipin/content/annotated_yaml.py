"""A record as YAML that explains itself: every field of the model appears, with its
Chinese title and description as a comment above it. Fields without a value are written
commented out (with their sub-fields), so staff see everything the format offers and
only need to remove the ``# `` to use one.

    # 品牌名称：品牌的正式名称，如 连江营造计划
    name: 连江营造计划
    # 口号：品牌口号，没有就不写
    # slogan:
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from pydantic import BaseModel

from yipin.content.fields import FieldSpec, fields_of

# libyaml's emitter, where PyYAML was built with it, writes the same scalars 7× faster.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

__all__ = ["annotated_yaml"]

INDENT = "  "


def annotated_yaml(model: type[BaseModel], data: Mapping[str, Any], header: Sequence[str] = (),
                   notes: Mapping[str, str] | None = None) -> str:
    """``data`` as YAML in the model's field order. ``notes`` adds a comment line under a
    field's description, by top-level key (e.g. the taxonomy's terms for 'themes')."""
    lines = list(header)
    for spec in fields_of(model):
        lines.append("")
        lines.extend(_described(spec, data, "", (notes or {}).get(spec.key)))
    return "\n".join(lines).lstrip("\n") + "\n"


def _fields(model: type[BaseModel], data: Mapping[str, Any], pad: str) -> list[str]:
    return [line for spec in fields_of(model) for line in _described(spec, data, pad)]


def _described(spec: FieldSpec, data: Mapping[str, Any], pad: str, note: str | None = None) -> list[str]:
    lines = [f"{pad}# {spec.title}：{spec.description}"] + ([f"{pad}# {note}"] if note else [])
    if spec.key in data:
        return lines + _value(spec, data[spec.key], pad)
    return lines + [f"{pad}# {line}" for line in _skeleton(spec, "", explain=False)]


def _value(spec: FieldSpec, value: Any, pad: str) -> list[str]:
    if spec.many:
        if not value:
            return [f"{pad}{spec.key}: []"]
        items = [_item(spec, item, pad + INDENT) for item in value]
        return [f"{pad}{spec.key}:"] + [line for item in items for line in item]
    if spec.model:
        return [f"{pad}{spec.key}:"] + _fields(spec.model, value, pad + INDENT)
    return _scalar(spec, value, pad, f"{spec.key}: ")


def _item(spec: FieldSpec, value: Any, pad: str) -> list[str]:
    """One list item: '- ' in front of its first line (comments above it stay at the dash)."""
    if not spec.model:
        return _scalar(spec, value, pad, "- ")
    lines = _fields(spec.model, value, pad + INDENT)
    first = next(i for i, line in enumerate(lines) if not line.lstrip().startswith("#"))
    dash = pad + "- " + lines[first].removeprefix(pad + INDENT)
    return [line.replace(pad + INDENT, pad, 1) for line in lines[:first]] + [dash] + lines[first + 1:]


def _scalar(spec: FieldSpec, value: Any, pad: str, lead: str) -> list[str]:
    if spec.kind == "markdown" and isinstance(value, str) and value.strip() and value[0] not in " \t":
        return [f"{pad}{lead}|"] + [f"{pad}{INDENT}{line}".rstrip() for line in value.strip("\n").split("\n")]
    text = yaml.dump(value, Dumper=_DUMPER, allow_unicode=True, default_flow_style=True, width=10_000)
    return [f"{pad}{lead}{text.removesuffix(chr(10)).removesuffix(chr(10) + '...')}"]


def _skeleton(spec: FieldSpec, pad: str, explain: bool = True) -> list[str]:
    """An empty field with its sub-fields, each explained at the end of its line."""
    head = f"{pad}{spec.key}:" + (" []" if spec.many and not spec.model else "")
    if explain:
        head = f"{head:<24}# {spec.title}{'（必填）' if spec.required else ''}：{spec.description}"
    if not spec.model:
        return [head]
    inner_pad = pad + INDENT * (2 if spec.many else 1)
    inner = [line for child in spec.children for line in _skeleton(child, inner_pad)]
    if spec.many:
        inner[0] = pad + INDENT + "- " + inner[0].removeprefix(inner_pad)
    return [head] + inner
