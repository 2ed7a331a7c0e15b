"""Every error Yipin reports to a user.

Hierarchy, with the exit code of the `yipin` command for each::

    YipinError                  base of everything Yipin raises on purpose        1
    ├── ContentErrors           a phase found problems in content; carries them all  1
    │                           (3 when one of them is the machine's: unreadable)
    ├── UsageError              the command cannot be used as given: no site here, 2
    │   │                       a folder that is not empty, an unknown option value
    │   └── SettingsErrors      mkdocs.yml's yipin options: every bad one, a line each  2
    └── MachineError            the machine is the problem: a tool is missing,     3
                                a file may not be read

ContentError (a value, not an exception) is one problem in one content file: path,
line, column, field path, a stable code and the Chinese message. It renders as the single line staff see::

    content/cases/x.yaml:12:9: brand.name: 必须填写品牌名称

Validation collects every ContentError of a phase; the phase raises ContentErrors once
at its end. The CLI prints them and exits 1; the MkDocs plugin re-raises them as a
PluginError so `mkdocs build` stops with the same lines.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["YipinError", "ContentError", "ContentErrors", "UsageError", "SettingsErrors", "MachineError", "display_path",
           "CONTENT_EXIT", "USAGE_EXIT", "MACHINE_EXIT", "MACHINE_CODES"]

CONTENT_EXIT, USAGE_EXIT, MACHINE_EXIT = 1, 2, 3  # 2 is also argparse's: the command line is wrong
MACHINE_CODES = frozenset({"unreadable"})  # error codes that say the machine, not the content, is at fault


class YipinError(Exception):
    """Base class for errors Yipin raises deliberately."""

    exit_code = CONTENT_EXIT


class UsageError(YipinError):
    """The command cannot be used as given; the message says what to do instead."""

    exit_code = USAGE_EXIT


class SettingsErrors(UsageError):
    """Every option of the site's settings that cannot be used, one line each
    (``mkdocs.yml: plugins.yipin.calendar_months_before: 应为 0 到 120 之间的整数，现在是“abc”``)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class MachineError(YipinError):
    """The machine cannot do the work: a tool is missing or a file may not be read. Fixing the
    content would not help, so the command exits with its own code."""

    exit_code = MACHINE_EXIT


def display_path(path: Path) -> str:
    """The path as a user typed it: relative to the working directory when inside it. A link
    keeps its own name (the file staff see), so the path is made absolute, not resolved."""
    here = Path.cwd()
    for absolute in (Path(os.path.abspath(path)), Path(path).resolve()):
        if absolute.is_relative_to(here):
            return absolute.relative_to(here).as_posix()
    return Path(path).as_posix()


def _one_line(text: str) -> str:
    """Control characters escaped, so a key like "a\\nb" cannot break the one-line format."""
    return "".join(repr(ch)[1:-1] if unicodedata.category(ch) == "Cc" else ch for ch in text)


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one file, positioned at the offending value (1-based)."""

    file: str
    line: int
    column: int
    field: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}:"
        field, message = _one_line(self.field), _one_line(self.message)
        return f"{where} {field}: {message}" if field else f"{where} {message}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class ContentErrors(YipinError):
    """All the problems one phase found, sorted by file and position."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))

    @property
    def exit_code(self) -> int:  # type: ignore[override]
        return MACHINE_EXIT if any(e.code in MACHINE_CODES for e in self.errors) else CONTENT_EXIT
