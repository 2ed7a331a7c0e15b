"""Package data: the Material for MkDocs overrides (overrides/) and the page templates
(pages/). A site overrides any file by putting its own at the same path in its custom_dir."""

from pathlib import Path

__all__ = ["OVERRIDES", "PAGES"]

OVERRIDES = Path(__file__).resolve().parent / "overrides"
PAGES = Path(__file__).resolve().parent / "pages"
