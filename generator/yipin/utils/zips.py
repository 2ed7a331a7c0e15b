"""Office files (.docx, .xlsx) with the same bytes for the same content. Both libraries
write each zip member with the clock's time; rewriting the archive with one fixed time,
in the order the library chose, leaves only the content to differ."""

from __future__ import annotations

import io
import zipfile

__all__ = ["FIXED_TIME", "fixed_zip"]

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
