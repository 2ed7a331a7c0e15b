"""A stopped build unwinds like an interrupted one.

SIGTERM (what `kill`, CI runners and service managers send) ends Python at once by default:
no ``finally``, no atexit, so the staging folder stays and Pagefind and the image workers
run on, orphaned. While a build runs, SIGTERM raises KeyboardInterrupt instead, as Ctrl-C
does: subprocess.run kills Pagefind, the image pool terminates its workers, and the
staging folder is removed (staging.py).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["STOPPING", "sigterm_interrupts", "signals_deferred"]

STOPPING = {signal.SIGINT, signal.SIGTERM}


def sigterm_interrupts() -> Callable[[], None]:
    """Make SIGTERM raise KeyboardInterrupt until the returned function is called. Only the
    main thread may set handlers (`mkdocs serve` rebuilds in another): there it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.signal(signal.SIGTERM, _interrupt)
    return lambda: signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back until the block is done, then let them through. Threads
    started inside inherit the mask, so a process-wide signal waits for the block's end."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: nothing to hold back with
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
