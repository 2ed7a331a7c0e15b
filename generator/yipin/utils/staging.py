"""Folders a step writes into before a rename publishes them: the site and image cache entries.

A staging folder sits beside its target as ``.<name>.<pid>.<random>``, so that whatever is
left by a build that died (SIGKILL, a power cut) is recognised by the next one, and only
when the process that made it is gone: two builds may run side by side. A staging folder of
this process that is never published is removed when the interpreter exits.

mkdtemp makes a private folder (0700); a published site must be readable by the web server,
which often runs as another user, so staging folders get the usual mode for the umask.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["new_staging", "published", "discard", "sweep"]

_pending: set[Path] = set()  # staging folders of this process not yet published


def new_staging(target: Path, *, discard_at_exit: bool = True) -> Path:
    """An empty folder beside ``target`` to build it in; leftovers of dead builds go first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep(target)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", dir=target.parent))
    folder.chmod(0o777 & ~_umask())
    if discard_at_exit:
        _pending.add(folder)
    return folder


def published(folder: Path) -> None:
    """``folder`` has been renamed into place: nothing to remove at exit."""
    _pending.discard(folder)


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    _pending.discard(folder)


def sweep(target: Path) -> None:
    """Remove the staging folders of ``target`` whose process has ended."""
    prefix = f".{target.name}."
    try:
        siblings = [entry for entry in os.scandir(target.parent) if entry.name.startswith(prefix)]
    except OSError:
        return
    for entry in siblings:
        pid = entry.name[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


@atexit.register
def _discard_pending() -> None:
    for folder in list(_pending):
        discard(folder)
