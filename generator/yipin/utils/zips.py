"""Files made for staff (.docx, .xlsx, the book's PDF) with the same bytes for the same
content: each says it was made on the content's date (content_time), never the clock's;
and python-docx writes each zip member with the clock's time, so the archive is rewritten
with one fixed time, in the order the library chose (fixed_zip)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

__all__ = ["FIXED_TIME", "content_time", "fixed_zip"]

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say


def fixed_zip(archive: bytes) -> bytes:
    """``archive`` with every member's timestamp and permissions fixed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(member))
    return out.getvalue()


def content_time(day: date) -> datetime:
    """The moment a file made from content says it was made: midnight UTC of ``day``."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
