"""The record format as a tree of field specs, read from the models.

One walk over the models serves everything that presents the format to people: the
commented case template (`yipin new`), the CMS configuration and the field names in
`yipin diff`. Each field gets a *kind* from its JSON Schema, which the models generate:

    object     a nested record (``model``; ``children`` are its fields)
    markdown   prose rendered as Markdown          text      plain text of up to 200+ characters
    string     short text                          slug      an id: lowercase, digits, hyphens
    integer    whole number                        number    any number
    boolean    true / false                        choice    one of ``choices``
    term       a word from content/taxonomy.yaml   image     a picture's path under content/
    date       2021 / 2021-12 / 2021-12-05         datetime  a day, or a day and a time
    duration   2h, 90m                             url       http(s) address

``many`` marks a list of such values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter

from yipin.content.models import (
    Case,
    CaseRef,
    ContentPath,
    DateOrDateTime,
    Duration,
    PartialDate,
    Slug,
    Taxonomy,
    WebUrl,
)
from yipin.content.models.base import MARKDOWN, submodel
from yipin.content.reader import FieldPath

__all__ = ["FieldSpec", "fields_of", "field_at", "VOCABULARIES"]

VOCABULARIES = tuple(Taxonomy.model_fields)  # the Case fields whose words come from the taxonomy

_NAMED_TYPES = {ContentPath: "image", PartialDate: "date", DateOrDateTime: "datetime", Duration: "duration",
                Slug: "slug", WebUrl: "url", CaseRef: "url"}
_ANNOTATIONS = ("title", "description", "default")
TEXT_AREA = 200  # plain text that may hold this many characters is edited in a box, not a line


def _signature(schema: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in schema.items() if k not in _ANNOTATIONS}, sort_keys=True)


_KIND_OF_SCHEMA = {_signature(TypeAdapter(t).json_schema()): kind for t, kind in _NAMED_TYPES.items()}


@dataclass(frozen=True)
class FieldSpec:
    key: str                      # the YAML key (the alias where there is one)
    title: str
    description: str
    required: bool
    kind: str
    many: bool                    # a list of values of this kind
    schema: dict[str, Any]        # JSON Schema of one value: pattern, examples, enum, bounds
    list_schema: dict[str, Any]   # JSON Schema of the list (minItems, maxItems) when ``many``
    model: type[BaseModel] | None = None
    default: Any = None

    @property
    def children(self) -> tuple[FieldSpec, ...]:
        return fields_of(self.model) if self.model else ()

    @property
    def choices(self) -> tuple[Any, ...]:
        return tuple(self.schema.get("enum", ()))


@cache
def fields_of(model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    properties = model.model_json_schema()["properties"]
    specs = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        prop = properties[key]
        value = _non_null(prop)
        many = value.get("type") == "array"
        item = value.get("items", {}) if many else value
        specs.append(FieldSpec(
            key=key, title=info.title or key, description=info.description or "", required=info.is_required(),
            kind=_kind(model, name, prop, item), many=many, schema=item, list_schema=value if many else {},
            model=submodel(info.annotation), default=None if info.is_required() else info.default,
        ))
    return tuple(specs)


def field_at(model: type[BaseModel], loc: FieldPath) -> FieldSpec | None:
    """The spec of the field at a path like ('story', 'practices', 0, 'body')."""
    spec = None
    for part in loc:
        if isinstance(part, int):
            continue
        if spec is not None:
            model = spec.model
        spec = next((s for s in fields_of(model) if s.key == part), None) if model else None
        if spec is None:
            return None
    return spec


def _non_null(prop: dict[str, Any]) -> dict[str, Any]:
    """The schema of `X | None` without the None."""
    options = [p for p in prop.get("anyOf", []) if p.get("type") != "null"]
    return options[0] if len(options) == 1 else prop


def _kind(model: type[BaseModel], name: str, prop: dict[str, Any], item: dict[str, Any]) -> str:
    if "$ref" in item:
        return "object"
    if prop.get("contentMediaType") == MARKDOWN["contentMediaType"]:
        return "markdown"
    if _signature(item) in _KIND_OF_SCHEMA:
        return _KIND_OF_SCHEMA[_signature(item)]
    if "enum" in item:
        return "choice"
    if model is Case and name in VOCABULARIES:
        return "term"
    kind = item.get("type")
    if kind == "string":
        return "text" if item.get("maxLength", 0) >= TEXT_AREA else "string"
    if kind in {"integer", "number", "boolean"}:
        return kind
    raise TypeError(f"{model.__name__}.{name}: no field kind for schema {item}")
