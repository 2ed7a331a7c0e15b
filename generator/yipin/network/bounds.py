"""How much another site may cost a build: the limits a fetched file meets before it is
parsed, and the time all members together may take.

A file's size is bounded while it arrives (fetch.py); its nesting here, before json.loads,
whose C scanner recurses once per bracket (``[`` × 200,000 is a RecursionError). Yipin's
own files nest five deep.
"""

from __future__ import annotations

import re
from array import array
from itertools import accumulate

__all__ = ["MAX_DEPTH", "BUDGET", "MAX_MEMBERS", "too_deep"]

MAX_DEPTH = 32          # brackets inside brackets; Yipin writes at most five
BUDGET = 60.0           # seconds for every member and network site together, whatever each file's own limit
MAX_MEMBERS = 2000      # members a portal reads and republishes (api/models.py: MembersResponse)

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)   # a JSON string, escapes included
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")          # +1 opens, -1 (signed) closes


def too_deep(body: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether ``body``, read as JSON, nests brackets deeper than ``limit``: the brackets
    outside strings, counted in C (a 20 MB file of brackets takes about a second)."""
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKET)
    if len(brackets) <= limit:
        return False
    return max(accumulate(array("b", brackets.translate(_STEP)))) > limit
