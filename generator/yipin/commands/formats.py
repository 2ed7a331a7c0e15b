"""How `yipin check` prints its problems (--format): text, one line each; json; and github,
each problem as a GitHub/Gitea Actions workflow command,
so it shows on the changed line of a pull request (GitHub) or as a marked line in the job
log (Gitea and Forgejo, which print but do not yet place annotations).

    ::error file=content/cases/x.yaml,line=5,col=3,title=brand.slogn::未知字段 slogn……

Escaping follows the Actions toolkit: in the message %, CR and LF; in the properties also
':' and ',' (which would otherwise end a property or the property list).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from yipin.errors import ContentError

__all__ = ["FORMATS", "github_annotations", "escape_data", "escape_property"]

_DATA = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_PROPERTY = {**_DATA, ":": "%3A", ",": "%2C"}


def _escape(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(ch, ch) for ch in text)


def escape_data(text: str) -> str:
    return _escape(text, _DATA)


def escape_property(text: str) -> str:
    return _escape(text, _PROPERTY)


def github_annotations(errors: Iterable[ContentError]) -> str:
    lines = []
    for e in errors:
        properties = {"file": e.file, "line": str(e.line), "col": str(e.column), "title": e.field or "内容检查"}
        listed = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
        lines.append(f"::error {listed}::{escape_data(e.message)}\n")
    return "".join(lines)


FORMATS: dict[str, Callable[[list[ContentError]], str]] = {
    "text": lambda errors: "".join(f"{e}\n" for e in errors),
    "json": lambda errors: json.dumps({"errors": [e.as_dict() for e in errors]}, ensure_ascii=False, indent=2) + "\n",
    "github": github_annotations,
}
