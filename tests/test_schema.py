from __future__ import annotations

import re

import jsonschema
import pytest

from yipin.commands.main import main
from yipin.content.reader import read_document
from yipin.content.schema import SCHEMA_FILES, build_schemas, modeline_for

from .conftest import FIXTURE_CONTENT, REPO

CJK = re.compile(r"[\u4e00-\u9fff]")


def walk_properties(schema):
    """Every (name, property schema) in the schema and its $defs."""
    for owner in [schema, *schema.get("$defs", {}).values()]:
        yield from owner.get("properties", {}).items()


def test_committed_schemas_are_up_to_date(capsys):
    assert main(["schema", "--check", "--content", str(REPO / "content"), "--out", str(REPO / "schema")]) == 0, (
        "schema/ is stale: run `make schema` and commit it")


@pytest.mark.parametrize("filename", sorted(SCHEMA_FILES))
def test_every_field_has_a_chinese_title_and_description(filename):
    schema = build_schemas(None)[filename]
    for owner in [schema, *schema.get("$defs", {}).values()]:
        assert CJK.search(owner["title"]) and CJK.search(owner["description"]), owner.get("title")
    for name, prop in walk_properties(schema):
        assert CJK.search(prop.get("title", "")), f"{filename}: {name} has no Chinese title"
        assert CJK.search(prop.get("description", "")), f"{filename}: {name} has no Chinese description"


def test_schema_accepts_a_valid_case_and_rejects_a_typo():
    doc, _ = read_document(FIXTURE_CONTENT / "cases" / "base.yaml")
    schema = build_schemas(None)["case.schema.json"]
    jsonschema.validate(doc.data, schema)
    typo = {**doc.data, "brand": {**doc.data["brand"], "slogn": "x"}}
    with pytest.raises(jsonschema.ValidationError, match="slogn"):
        jsonschema.validate(typo, schema)


def test_schema_requires_replication_and_sources_of_published_cases_only():
    doc, _ = read_document(FIXTURE_CONTENT / "cases" / "base.yaml")
    schema = build_schemas(None)["case.schema.json"]
    bare = {k: v for k, v in doc.data.items() if k not in {"replication", "sources"}}
    with pytest.raises(jsonschema.ValidationError, match="replication"):
        jsonschema.validate(bare, schema)
    jsonschema.validate({**bare, "status": "draft"}, schema)


def test_schema_lists_taxonomy_terms_with_descriptions():
    doc, _ = read_document(FIXTURE_CONTENT / "taxonomy.yaml")
    from yipin.content.models import Taxonomy
    schema = build_schemas(Taxonomy.model_validate(doc.data))["case.schema.json"]
    items = schema["properties"]["themes"]["items"]
    assert items["enum"] == ["党建引领", "社区营造", "志愿服务", "党建"]
    assert items["enumDescriptions"][-1] == "同“党建引领”"


def test_every_content_file_starts_with_its_schema_modeline():
    files = sorted((REPO / "content").rglob("*.yaml"))
    assert files, "content/ has no YAML files"
    for path in files:
        relative = path.relative_to(REPO / "content").as_posix()
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == modeline_for(relative), relative
        target = (path.parent / first.split("$schema=")[1].split()[0]).resolve()   # editors read up to a space
        assert target.is_file(), f"{relative}: modeline points at a missing schema"
