"""Tests that meet the operating system: a check run as a user that file permissions apply
to, and a deadline for calls that could block."""

from __future__ import annotations

import contextlib
import json
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any

from PIL import Image

NOBODY = 65534


def as_a_user(check: Callable[[], Any]) -> Any:
    """``check()``'s JSON-able result, computed by a process without root's privileges. Root
    ignores file permissions, so as root a forked child becomes nobody first."""
    if os.geteuid() != 0:
        return json.loads(json.dumps(check()))
    Image.init()  # every plugin imported now: nobody cannot read root's Python installation
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 1
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os.write(write, json.dumps(check()).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as answer:
        data = answer.read()
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    return json.loads(data)


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging (reading a FIFO nobody writes to blocks forever)."""
    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError("blocked")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
