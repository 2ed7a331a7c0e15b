"""Content files as the system hands them over: what keeps a file from being read, asked
with a stat before anything opens it (a FIFO would block the read, a 2 GB file would be
read whole before its size was judged), for records and pictures alike.

Each problem is a (code, Chinese message) pair. ``unreadable`` is the machine's problem
(permissions, a failing disk), not the content's: `yipin check` exits with its own code
(errors.MACHINE_CODES).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

__all__ = ["Problem", "file_problem", "os_problem", "read_bounded", "write_atomic", "write_new"]

Problem = tuple[str, str]


def file_problem(path: Path, noun: str, hints: Mapping[str, str]) -> Problem | None:
    """Why ``path`` is not a regular file one can open, or None. ``noun``: what it should be
    (图片文件, 案例文件); ``hints``: what to do, by code, added to the message."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return os_problem(exc, path, hints)
    if stat.S_ISDIR(mode):
        return _hinted("file-is-folder", f"这是一个文件夹，不是{noun}", hints)
    if not stat.S_ISREG(mode):
        return _hinted("file-not-regular", "这不是普通文件（可能是管道或设备文件）", hints)
    return None


def os_problem(exc: OSError, path: Path, hints: Mapping[str, str]) -> Problem:
    """An error the system raised for ``path``: missing (or a link to nothing), or unreadable."""
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        if os.path.islink(path):
            return "file-missing", "这是一个失效的链接，它指向的文件不存在：请删去它，或换成文件本身"
        return _hinted("file-missing", "找不到这个文件", hints)
    if isinstance(exc, PermissionError):
        return "unreadable", ("没有权限读取这个文件（或它所在的文件夹）：请让运行 yipin 的账号能读取它"
                              "（如 chmod a+r），或换一个有权限的账号运行")
    name = errno.errorcode.get(exc.errno or 0, "")
    return "unreadable", f"读取这个文件时系统出错（{name or exc}）：请检查磁盘，或重新复制这个文件"


def _hinted(code: str, message: str, hints: Mapping[str, str]) -> Problem:
    return (code, f"{message}：{hints[code]}") if code in hints else (code, message)


def read_bounded(path: Path, limit: int) -> bytes:
    """The file's bytes, reading at most ``limit`` + 1 of them (a file that grew after its stat
    is not read whole either). Raises OSError."""
    with open(path, "rb") as file:
        return file.read(limit + 1)


def write_atomic(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` in one rename: a reader sees the old file or the new
    one, and an interrupted write leaves nothing behind."""
    _write_then(target, data, os.replace)


def write_new(target: Path, data: bytes) -> None:
    """Create ``target`` with ``data``, whole, only if nothing is there (a file, a folder, a
    link, even a broken one): a hard link never replaces. Raises FileExistsError otherwise."""
    def link(temporary: str, final: Path) -> None:
        os.link(temporary, final, follow_symlinks=False)
        os.unlink(temporary)
    _write_then(target, data, link)


def _write_then(target: Path, data: bytes, publish: Callable[[str, Path], None]) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        publish(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
