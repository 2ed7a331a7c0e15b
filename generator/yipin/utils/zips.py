"""Files made for staff (.docx, .xlsx, the book's PDF) with the same bytes for the same
content: each says it was made on the content's date (content_time), never the clock's,
and a zip written here gives every member one fixed time (zip_parts)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import UTC, date, datetime

__all__ = ["FIXED_TIME", "content_time", "zip_parts"]

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say


def zip_parts(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (name, bytes) in that order, each member with the fixed time and permissions."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()


def content_time(day: date) -> datetime:
    """The moment a file made from content says it was made: midnight UTC of ``day``."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
