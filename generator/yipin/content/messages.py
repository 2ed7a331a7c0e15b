"""Pydantic's validation errors as the Chinese lines staff see, positioned in the file.

Each pydantic error type maps to one stable code and one sentence. Our own value types
raise PydanticCustomError whose type already is the code and whose message already is
Chinese; those pass through unchanged.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from yipin.content.models.base import submodel
from yipin.content.reader import Document, FieldPath
from yipin.errors import ContentError

__all__ = ["translate"]


def translate(exc: ValidationError, doc: Document, model: type[BaseModel]) -> list[ContentError]:
    out = []
    for error in exc.errors(include_url=False):
        loc: FieldPath = tuple(error["loc"])
        code, message = _explain(error, loc, model)
        out.append(doc.error(loc, code, message, key=error["type"] == "extra_forbidden"))
    return out


def _explain(error: Any, loc: FieldPath, model: type[BaseModel]) -> tuple[str, str]:
    kind, ctx, given = error["type"], error.get("ctx") or {}, error.get("input")
    info = _field_at(model, loc)
    name = _name(loc, info)
    if kind == "missing":
        return "missing", f"缺少必填字段 {name}"
    if kind == "extra_forbidden":
        return "unknown-key", _unknown_key(loc, model)
    if kind in {"string_type", "string_unicode"}:
        return "type", f"{name}应该是一段文字，现在写的是{_shape(given)}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return "type", f"{name}应该是整数，如 24000（不带单位、逗号和“约”字）"
    if kind in {"float_type", "float_parsing"}:
        return "type", f"{name}应该是数字，如 0.75（不带单位）"
    if kind in {"bool_type", "bool_parsing"}:
        return "type", f"{name}只能写 true 或 false"
    if kind == "list_type":
        return "type", f"{name}应该是列表：每一项单独一行，以“- ”开头"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return "type", f"{name}应该是一组字段：换行后缩进两个空格，写“字段名: 内容”"
    if kind == "literal_error":
        return "enum", _not_allowed(given, info)
    if kind == "string_too_short" or (kind == "too_short" and isinstance(given, str)):
        if ctx.get("min_length", 1) <= 1:
            return "empty", f"{name}不能为空"
        return "length", f"{name}至少要 {ctx['min_length']} 个字，现在只有 {len(str(given).strip())} 个字"
    if kind == "string_too_long" or (kind == "too_long" and isinstance(given, str)):
        return "length", f"{name}最多 {ctx['max_length']} 个字，现在有 {len(given.strip())} 个字"
    if kind == "too_short":
        return "length", f"{name}至少要有 {ctx['min_length']} 项"
    if kind == "too_long":
        return "length", f"{name}最多 {ctx['max_length']} 项，现在有 {ctx.get('actual_length')} 项"
    if kind in _BOUNDS:
        key, relation = _BOUNDS[kind]
        return "range", f"{name}必须{relation} {_number(ctx[key])}"
    if kind in {"finite_number", "int_parsing_size"}:
        return "range", f"{name}应该是一个有限的数字，不能写无穷大、nan 或几千位长的数"
    if kind in {"none_required"}:
        return "type", f"{name}不能写内容"
    # Our own types and validators raise PydanticCustomError: type is the code, msg is Chinese.
    return kind.replace("_", "-"), error["msg"]


_BOUNDS = {"greater_than_equal": ("ge", "不小于"), "greater_than": ("gt", "大于"),
           "less_than_equal": ("le", "不大于"), "less_than": ("lt", "小于")}


def _number(bound: Any) -> str:
    """A limit as people write it: 100000000 → 100,000,000 (an integral float without ".0")."""
    return f"{int(bound):,}" if float(bound).is_integer() else str(bound)


def _name(loc: FieldPath, info: FieldInfo | None) -> str:
    last = next((part for part in reversed(loc) if isinstance(part, str)), "")
    return f"{last}（{info.title}）" if info is not None and info.title else (f"{last} " if last else "这一项")


def _shape(value: Any) -> str:
    if isinstance(value, dict):
        return "一组字段"
    if isinstance(value, list):
        return "一个列表"
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f" {str(value).lower()}"
    return f" {value}"


def _unknown_key(loc: FieldPath, model: type[BaseModel]) -> str:
    key = str(loc[-1])
    parent = _model_at(model, loc[:-1])
    names = _accepted_keys(parent) if parent else []
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        title = parent.model_fields[_python_name(parent, close[0])].title if parent else ""
        return f"未知字段 {key}，你是不是想写 {close[0]}（{title}）？"
    return f"未知字段 {key}：这里可以写的字段有 " + "、".join(names)


def _not_allowed(given: Any, info: FieldInfo | None) -> str:
    allowed = [str(v) for v in _literal_values(info.annotation)] if info else []
    close = difflib.get_close_matches(str(given), allowed, n=1, cutoff=0.5)
    hint = f"，你是不是想写 {close[0]}？" if close else ""
    return f"“{given}”不是可选值：只能写 " + "、".join(allowed) + hint


def _literal_values(annotation: Any) -> list[Any]:
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    for arg in typing.get_args(annotation):
        values = _literal_values(arg)
        if values:
            return values
    return []


def _accepted_keys(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _python_name(model: type[BaseModel], key: str) -> str:
    return next(name for name, info in model.model_fields.items() if (info.alias or name) == key)


def _model_at(model: type[BaseModel], loc: FieldPath) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None or part not in _accepted_keys(current):
            return None
        current = submodel(current.model_fields[_python_name(current, part)].annotation)
    return current


def _field_at(model: type[BaseModel], loc: FieldPath) -> FieldInfo | None:
    keys = [i for i, part in enumerate(loc) if isinstance(part, str)]
    if not keys:
        return None
    last = keys[-1]
    parent = _model_at(model, loc[:last])
    if parent is None or loc[last] not in _accepted_keys(parent):
        return None
    return parent.model_fields[_python_name(parent, str(loc[last]))]
