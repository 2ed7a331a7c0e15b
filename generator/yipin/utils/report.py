"""How Yipin's library code tells staff what it is doing: lines on the ``yipin`` logger, in
Chinese, never print(). The `yipin` command prints them as they are (to_terminal); under
MkDocs the plugin passes them on to MkDocs's log, where `strict: true` counts the warnings."""

from __future__ import annotations

import logging
import sys

__all__ = ["LOGGER", "to_terminal"]

LOGGER = "yipin"


class _Terminal(logging.Handler):
    """Each line bare on the standard error stream of the moment (a test may have replaced it)."""

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write(self.format(record) + "\n")
        sys.stderr.flush()


def to_terminal() -> None:
    logger = logging.getLogger(LOGGER)
    if not any(isinstance(handler, _Terminal) for handler in logger.handlers):
        logger.addHandler(_Terminal())
    logger.setLevel(logging.INFO)
    logger.propagate = False
