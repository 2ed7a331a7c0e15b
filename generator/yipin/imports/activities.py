"""`yipin import activities`: a sheet's rows checked as activities of a case, exactly as
`yipin check` checks them in YAML, and the new ones appended to the case file.

    read the sheet (sheets) → header and columns (columns) → rows as activities (rows)
    → each row through the Activity model → the case with the new rows through the Case
    model and the case rules → the YAML text to append (append)

Every problem of every row is collected; with any, nothing is written. A row already in
the case (the same title and start, which make its calendar UID) is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from yipin.content.loaded import Loaded
from yipin.content.messages import translate
from yipin.content.models import Activity, Case, Taxonomy
from yipin.content.reader import Document, read_document
from yipin.content.rules import check_case
from yipin.content.validate import validate_document
from yipin.errors import ContentError, ContentErrors
from yipin.imports.append import append_activities
from yipin.imports.columns import ROLES, find_header
from yipin.imports.dates import year_in
from yipin.imports.rows import Draft, drafts_of
from yipin.imports.sheets import CellError, Table, read_tables

__all__ = ["Plan", "plan_import", "read_case"]

_ITEM = re.compile(r"^activities\[(\d+)\](?:\.(.*))?$")


@dataclass
class Plan:
    """What an import would do: the activities to add (as YAML data), how many rows the case
    already had, the text appended and the whole new file."""

    added: list[dict[str, Any]] = field(default_factory=list)
    skipped: int = 0
    text: str = ""
    data: bytes = b""
    notes: list[str] = field(default_factory=list)   # sheets skipped, columns not read


def read_case(path: Path, taxonomy: Taxonomy) -> tuple[Document, Case]:
    """The case file as `yipin check` reads it; ContentErrors with its own problems."""
    doc, errors = read_document(path)
    case, more = validate_document(doc, Case, {"taxonomy": taxonomy}) if not errors else (None, [])
    errors += more if case is None else check_case(Loaded(case, doc))
    if errors or case is None:
        raise ContentErrors(errors)
    return doc, case


def plan_import(sheet: Path, case_path: Path, taxonomy: Taxonomy, columns: Mapping[str, str]) -> Plan:
    doc, case = read_case(case_path, taxonomy)
    plan = Plan()
    drafts, errors = _read_drafts(sheet, columns, plan)
    known = {(a.title, str(a.start)) for a in case.activities}
    fresh: list[Draft] = []
    seen: dict[tuple[str, str], Draft] = {}
    for draft in drafts:
        activity, found = _activity(draft)
        errors += found
        if activity is None:
            continue
        key = (activity.title, str(activity.start))
        if key in known:
            plan.skipped += 1
        elif key in seen:
            errors.append(draft.error("title", "activity-duplicate",
                                      f"与第 {seen[key].row} 行的活动名称和开始时间相同：同一活动只写一次，重复的写在“重复”一列"))
        else:
            seen[key] = draft
            fresh.append(draft)
    errors += _case_problems(doc, taxonomy, fresh)
    if errors:
        raise ContentErrors(errors)
    plan.added = [draft.data for draft in fresh]
    if plan.added:
        plan.text, plan.data = append_activities(doc, plan.added, taxonomy)
    return plan


def _read_drafts(sheet: Path, columns: Mapping[str, str], plan: Plan) -> tuple[list[Draft], list[ContentError]]:
    drafts: list[Draft] = []
    errors: list[ContentError] = []
    headed = False
    tables = [table for table in read_tables(sheet) if any(str(cell).strip() for row in table.rows for cell in row)]
    for table in tables:
        header = find_header(table, columns)
        if isinstance(header, CellError):
            errors.append(header)
            continue
        if header is None:
            if table.name:
                plan.notes.append(f"跳过工作表“{table.name}”：前几行里没有活动名称和日期的表头")
            continue
        headed = True
        if header.ignored:
            plan.notes.append(f"{table.where}：没有导入的列：" + "、".join(header.ignored))
        titles = [str(cell) for row in table.rows[: header.row - 1] for cell in row]
        found, more = drafts_of(table, header, year_in(*titles, table.name, sheet.stem))
        drafts += found
        errors += more
    if not headed and not errors:
        errors.append(_no_header(tables[0] if tables else None, sheet, bool(columns)))
    return drafts, errors


def _no_header(table: Table | None, sheet: Path, chosen: bool) -> CellError:
    where = table.where if table else str(sheet.name)
    roles = {role.key: role for role in ROLES}
    message = (f"找不到活动的表头：表头一行要有{roles['title'].label}（如 {'、'.join(roles['title'].headers[:3])}）"
               f"和日期或时间（如 {'、'.join(roles['date'].headers[:2])}、{roles['time'].headers[0]}）两列")
    if table is None:
        message = "表格是空的：没有可以导入的活动"
    elif not chosen:
        message += "；列名不一样时用 --columns 指定，如 --columns 标题=活动内容"
    return CellError(where, 1, 0, "", "no-header", message)


def _activity(draft: Draft) -> tuple[Activity | None, list[ContentError]]:
    """The row through the Activity model, its errors at the row's cells."""
    try:
        return Activity.model_validate(draft.data), []
    except ValidationError as exc:
        errors = translate(exc, Document(Path(draft.table.where)), Activity)
        return None, [draft.error(_field(error.field), error.code, error.message) for error in errors
                      if _field(error.field) not in draft.unread]


def _case_problems(doc: Document, taxonomy: Taxonomy, fresh: list[Draft]) -> list[ContentError]:
    """The case with the new activities through the Case model and the case's rules: what
    reads several fields (end before start, a repeat that never happens) or the whole list."""
    data = {**doc.data, "activities": [*(doc.data.get("activities") or []), *(d.data for d in fresh)]}
    merged = Document(doc.path, data=data, values=doc.values, keys=doc.keys, text=doc.text)
    case, errors = validate_document(merged, Case, {"taxonomy": taxonomy})
    if case is not None:
        errors = check_case(Loaded(case, merged))
    first = len(data["activities"]) - len(fresh)
    return [_at_row(error, fresh, first) for error in errors]


def _at_row(error: ContentError, fresh: list[Draft], first: int) -> ContentError:
    """An error of activities[i] of the merged case at the cell of the row it came from."""
    found = _ITEM.match(error.field)
    if found and int(found[1]) >= first:
        return fresh[int(found[1]) - first].error(_field(found[2] or ""), error.code, error.message)
    return error


def _field(path: str) -> str:
    """The activity field a dotted path starts with ('except[0]' → 'except')."""
    return path.split(".")[0].split("[")[0]
