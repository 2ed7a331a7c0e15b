"""Quality gates over the built sample site, by independent tools rather than our own
assertions: valid HTML (Nu Html Checker), no broken links or anchors (lychee), every JSON
output valid against its schema (check-jsonschema), every .ics accepted by a strict parser.

`make check-site` runs these (and the browser gates) with a summary; CI runs them all.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import dev_tool

pytestmark = pytest.mark.gates

GATES = Path(__file__).parent / "gates"

def vnu() -> Path:
    return dev_tool("vnu-jar", "build", "dist", "vnu.jar")


BIN = Path(sys.executable).parent


def allowed(message: str) -> bool:
    patterns = [line for line in (GATES / "vnu_allowlist.txt").read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#")]
    return any(re.search(p, message) for p in patterns)


def test_html_is_valid(sample_site, record_property):
    java = shutil.which("java")
    assert java, "Java is required by the Nu Html Checker (.ci/run installs it)"
    result = subprocess.run([java, "-jar", str(vnu()), "--skip-non-html", "--errors-only", "--format", "json",
                             str(sample_site)], capture_output=True, text=True)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{m['url'].split(str(sample_site))[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m["type"] == "error" and not allowed(m["message"])]
    record_property("vnu_errors", len(errors))
    assert errors == []


def test_no_broken_links_or_anchors(sample_site, record_property):
    result = subprocess.run([str(BIN / "lychee"), "--offline", "--include-fragments", "--no-progress",
                             "--format", "json", "--index-files", "index.html",  # a page URL is its folder's index.html
                             "--root-dir", str(sample_site), str(sample_site)],
                            capture_output=True, text=True)
    report = json.loads(result.stdout)
    record_property("broken_links", report["errors"])
    assert report["errors"] == 0, json.dumps(report.get("error_map"), ensure_ascii=False, indent=1)
    assert report["total"] > 100  # it really looked at the site


def check_jsonschema(schema: Path, files: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "check-jsonschema"), "--schemafile", str(schema), *map(str, files)],
                          capture_output=True, text=True)


# published response schema → the API files it describes
API_FILES = {
    "cases.schema.json": "api/v1/cases.json",
    "case.schema.json": "api/v1/cases/*.json",
    "taxonomy.schema.json": "api/v1/taxonomy.json",
    "activities.schema.json": "api/v1/activities.json",
    "site.schema.json": "api/v1/site.json",
    "search.schema.json": "api/v1/search.json",
}


@pytest.mark.parametrize("schema", sorted(API_FILES))
def test_api_files_validate_against_the_published_schemas(sample_site, schema, record_property):
    files = sorted(sample_site.glob(API_FILES[schema]))
    assert files
    result = check_jsonschema(sample_site / "schema" / "api" / schema, files)
    record_property("invalid_json", 0 if result.returncode == 0 else 1)
    assert result.returncode == 0, result.stdout + result.stderr


def test_records_in_the_api_validate_against_the_record_schema(sample_site, tmp_path):
    for path in sorted((sample_site / "api" / "v1" / "cases").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))["record"]
        (tmp_path / path.name).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    result = check_jsonschema(sample_site / "schema" / "case.schema.json", sorted(tmp_path.glob("*.json")))
    assert result.returncode == 0, result.stdout + result.stderr
    for path in sorted(sample_site.rglob("*.json")):
        json.loads(path.read_text(encoding="utf-8"))  # every JSON file parses


def test_every_ics_file_passes_a_strict_parser(sample_site, record_property):
    """The ical package validates every property against RFC 5545 (icalendar is lenient)."""
    from ical.calendar_stream import IcsCalendarStream
    from ical.exceptions import CalendarParseError

    files = sorted(sample_site.rglob("*.ics"))
    rejected = {}
    for path in files:
        try:
            stream = IcsCalendarStream.from_ics(path.read_text(encoding="utf-8"))
            assert stream.calendars[0].events, path
        except CalendarParseError as error:
            rejected[path.relative_to(sample_site).as_posix()] = str(error)
    record_property("ics_rejected", len(rejected))
    assert rejected == {} and len(files) > 20
