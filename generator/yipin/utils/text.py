"""Chinese text as staff wrap it in YAML.

A line break inside Chinese text is not a space: YAML's folded scalars (`>`) turn it into
one, and browsers render a newline between two Chinese characters as one too (CSS Text's
rule to drop it is not implemented). So breaks and spaces between two CJK characters
(or CJK punctuation) are removed; a break next to Latin text stays a space.
"""

from __future__ import annotations

import re

__all__ = ["join_cjk_breaks"]

_CJK = "\u2014\u2018\u2019\u201c\u201d\u2026\u00b7\u2103\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_FOLDED = re.compile(f"(?<=[{_CJK}])[ \\t]*\\n?[ \\t]*(?=[{_CJK}])")
_WRAPPED = re.compile(f"(?<=[{_CJK}])[ \\t]*\\n[ \\t]*(?=[{_CJK}])")


def join_cjk_breaks(text: str, *, spaces: bool = False) -> str:
    """Remove line breaks between CJK characters; with ``spaces``, also the spaces a
    folded YAML scalar left where a break was (plain-text fields, not Markdown)."""
    return (_FOLDED if spaces else _WRAPPED).sub("", text)
