"""JSON Schemas of the record files, generated from the models (never written by hand).

Editors (VS Code and JetBrains through yaml-language-server) read them through the
first line of every content file, so staff get completion, Chinese hover help and live
errors. Two things pydantic cannot express are added here: the taxonomy's terms as
choices (with their descriptions), and the rules that depend on another field.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from yipin.content.models import Case, Street, Taxonomy
from yipin.content.models.base import FORMAT, FORMAT_MARK, models_within

__all__ = ["SCHEMA_FILES", "MODELINE", "build_schemas", "render_schema", "modeline_for"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "case.schema.json": Case,
    "street.schema.json": Street,
    "taxonomy.schema.json": Taxonomy,
}
MODELINE = "# yaml-language-server: $schema="


def modeline_for(relative_file: str) -> str:
    """The first line of a content file, e.g. for 'cases/x.yaml': its schema for editors
    (which read up to the first space) and the record format it is written for."""
    folder = relative_file.split("/")[0] if "/" in relative_file else ""
    name = {"cases": "case", "streets": "street"}.get(folder, "taxonomy")
    up = "../../" if folder else "../"
    return f"{MODELINE}{up}schema/{name}.schema.json {FORMAT_MARK}{FORMAT}"


def build_schemas(taxonomy: Taxonomy | None) -> dict[str, dict[str, Any]]:
    schemas = {}
    for filename, model in SCHEMA_FILES.items():
        schema = {"$schema": DIALECT, **model.model_json_schema()}
        _field_titles(schema, model)
        schemas[filename] = schema
    _case_rules(schemas["case.schema.json"], taxonomy)
    return schemas


def render_schema(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def _field_titles(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Pydantic drops a field's title next to a $ref; editors show it, so put it back."""
    for current in models_within(model):
        owner = schema if current is model else schema["$defs"][current.__name__]
        for name, info in current.model_fields.items():
            owner["properties"][info.alias or name].setdefault("title", info.title)


def _case_rules(schema: dict[str, Any], taxonomy: Taxonomy | None) -> None:
    schema["if"] = {"properties": {"status": {"const": "draft"}}, "required": ["status"]}
    schema["else"] = {"required": ["replication", "sources"]}
    community = schema["$defs"]["Community"]
    community["if"] = {"properties": {"kind": {"const": "district"}}}
    community["else"] = {"properties": {"region": {"required": ["street"]}}}
    if taxonomy is None:
        return
    for vocabulary in ("themes", "groups"):
        items = schema["properties"][vocabulary]["items"]
        words = [(t.term, t.description) for t in getattr(taxonomy, vocabulary)]
        words += [(alias, f"同“{t.term}”") for t in getattr(taxonomy, vocabulary) for alias in t.aliases]
        items["enum"] = [word for word, _ in words]
        items["enumDescriptions"] = [text for _, text in words]
