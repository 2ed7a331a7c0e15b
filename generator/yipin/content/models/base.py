"""The base of every record model.

The models are the one source of truth for the record format: the JSON Schema, the
field reference of the editor guide and the CMS configuration are generated from them.
So every field carries a Chinese ``title`` and ``description`` (shown by editors while
staff type), and every model's docstring is its Chinese description in the schema.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Record", "field", "submodel", "models_within", "markdown_values", "MARKDOWN", "FORMAT", "FORMAT_MARK"]

# The version of the record format this Yipin writes, and the newest it reads (every older
# one too). A file states the version it was written for on its first line (yipin-format=N,
# after the schema; see content/schema.py); a file without it was written for version 1.
# Raise it only for a change an older Yipin would misread, and keep reading the old ones.
FORMAT = 1
FORMAT_MARK = "yipin-format="


class Record(BaseModel):
    model_config = ConfigDict(
        extra="forbid",              # an unknown key is almost always a typo
        frozen=True,
        coerce_numbers_to_str=True,  # `slogan: 2024` is text, not a type error
        validate_default=False,
    )


MARKDOWN = {"contentMediaType": "text/markdown"}


def field(title: str, description: str, default: Any = ..., *, markdown: bool = False, **kwargs: Any) -> Any:
    """A model field with the Chinese title and description every field must have.
    ``markdown`` marks text rendered as Markdown: the schema says so (contentMediaType),
    and the CMS and `yipin diff` treat it as prose."""
    if markdown:
        kwargs["json_schema_extra"] = MARKDOWN
    return Field(default, title=title, description=description, **kwargs)


def submodel(annotation: Any) -> type[BaseModel] | None:
    """The model inside list[X], X | None, Annotated[X, ...] — or None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in {typing.Union, types.UnionType, list, typing.Annotated}:
        for arg in typing.get_args(annotation):
            found = submodel(arg)
            if found:
                return found
    return None


def models_within(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """The model and every model nested in its fields, each once."""
    seen: set[type[BaseModel]] = set()
    pending = [model]
    while pending:
        current = pending.pop(0)
        if current in seen:
            continue
        seen.add(current)
        yield current
        pending.extend(m for f in current.model_fields.values() if (m := submodel(f.annotation)))


def markdown_values(record: BaseModel, loc: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(field path, text) of every Markdown field the record fills in, in field order: the
    fields the models mark with ``markdown``, so a new one is found without a list to update."""
    for name, info in type(record).model_fields.items():
        value = getattr(record, name)
        key = info.alias or name
        if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("contentMediaType") == MARKDOWN["contentMediaType"]:
            if value:
                yield (*loc, key), value
        elif isinstance(value, BaseModel):
            yield from markdown_values(value, (*loc, key))
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from markdown_values(item, (*loc, key, i))
