"""Yipin (一品): records of community governance brands → a website and headless data.

The pipeline: load → validate → derive → render → write. This package knows nothing of
MkDocs; the MkDocs plugin is a thin adapter over it.
"""

from .errors import ContentError, ContentErrors, YipinError
from .validate import Content, Loaded, validate_content

__all__ = ["ContentError", "ContentErrors", "YipinError", "Content", "Loaded", "validate_content"]
__version__ = "0.1.0"
