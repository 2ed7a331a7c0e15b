"""What validation hands on: a valid record with the document it came from, and the
whole content folder. A module of its own, so the rules and the later stages can name
these without importing the validation that makes them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from yipin.content.models import Case, Street, Taxonomy
from yipin.content.reader import Document

__all__ = ["Loaded", "Content"]

R = TypeVar("R", bound=BaseModel)


@dataclass(frozen=True)
class Loaded(Generic[R]):
    """A valid record, the document it came from, and its id (from the file name)."""

    record: R
    doc: Document
    source: str = ""  # the file's name and bytes and the taxonomy, hashed: results of this record are cached by it

    @cached_property  # asked for tens of thousands of times on a large site
    def id(self) -> str:
        return self.doc.path.stem


@dataclass(frozen=True)
class Content:
    root: Path
    taxonomy: Taxonomy
    cases: tuple[Loaded[Case], ...]
    streets: tuple[Loaded[Street], ...]

    @property
    def published(self) -> tuple[Loaded[Case], ...]:
        return tuple(c for c in self.cases if c.record.status == "published")


