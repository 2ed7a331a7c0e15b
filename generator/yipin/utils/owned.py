"""Writing into a folder the user named (`wechat --out`, `export`): a command may replace only
what it wrote there itself, never a file of the user's.

The folder keeps a manifest, MANIFEST, listing the files the last run wrote. A new folder is
built beside its target and renamed into place, so it appears whole or not at all. An
existing folder is used only when everything in it is a regular file the manifest lists
(folders holding them aside): each output then replaces its file atomically, and files of the
last run that this one no longer makes are removed. Anything else in the folder (a file of
the user's, a link, a folder where a file would go) refuses the write before anything
changes. The folder itself is never renamed or removed, so `--out .`, a link to a folder or a
mount point are written into, not replaced.

The manifest is read as untrusted: an entry that is not a plain relative path inside the
folder lists nothing, so its file counts as the user's.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from yipin.errors import MachineError, UsageError, display_path
from yipin.utils.files import write_atomic
from yipin.utils.staging import discard, new_staging, published

__all__ = ["MANIFEST", "write_owned", "check_owned"]

MANIFEST = ".yipin-files"
_HEADER = "# yipin 写出的文件：再次写入这个文件夹时，只替换下面列出的文件"

Put = Callable[[str, Path], None]  # writes output ``path`` to the given file


def write_owned(paths: list[str], put: Put, target: Path) -> None:
    """Write the outputs ``paths`` (POSIX, relative) into the folder ``target`` with ``put``,
    under the rule above. Raises UsageError when the folder holds anything not ours,
    MachineError when the system refuses a write."""
    folder = Path(os.path.abspath(target))
    check_owned(target)
    try:
        if not os.path.lexists(folder):
            _write_new(paths, put, folder)
            return
        ours = _manifest(folder)
        _refuse_foreign(folder, ours, paths, target)
        _write_into(paths, put, folder, ours)
    except OSError as exc:
        raise _machine(exc, target) from exc


def check_owned(target: Path) -> None:
    """Refuse now, before the work, a folder that write_owned would refuse at the end."""
    folder = Path(os.path.abspath(target))
    try:
        if os.path.lexists(folder) and not folder.is_dir():
            raise UsageError(f"{display_path(target)} 是一个文件，不是文件夹：请换一个新文件夹")
        if folder.is_dir():
            _refuse_foreign(folder, _manifest(folder), [], target)
    except OSError as exc:
        raise _machine(exc, target) from exc


def _machine(exc: OSError, target: Path) -> MachineError:
    return MachineError(f"写入 {display_path(target)} 时系统出错（{exc.strerror or exc}）：请检查这个文件夹的权限和磁盘空间")


def _write_new(paths: list[str], put: Put, folder: Path) -> None:
    staging = new_staging(folder)
    try:
        for path in paths:
            file = staging / path
            file.parent.mkdir(parents=True, exist_ok=True)
            put(path, file)
        (staging / MANIFEST).write_text(_manifest_text(paths), encoding="utf-8")
        staging.rename(folder)  # fails, changing nothing, if something appeared there meanwhile
    except BaseException:
        discard(staging)
        raise
    published(staging)


def _write_into(paths: list[str], put: Put, folder: Path, ours: set[str]) -> None:
    for path in paths:
        file = folder / path
        file.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
        os.close(handle)
        try:
            os.unlink(temporary)  # put() makes the file itself (it may hard-link a cached picture)
            put(path, Path(temporary))
            os.replace(temporary, file)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    for stale in sorted(ours - set(paths)):
        (folder / stale).unlink(missing_ok=True)
        _remove_empty_parents(folder, folder / stale)
    write_atomic(folder / MANIFEST, _manifest_text(paths).encode("utf-8"))


def _refuse_foreign(folder: Path, ours: set[str], paths: list[str], shown: Path) -> None:
    for entry in _entries(folder):
        if entry not in ours:
            raise UsageError(f"文件夹 {display_path(shown)} 里有不是 yipin 写出的“{entry}”：yipin 只替换自己写过的文件，"
                             "不会删改别的文件；请换一个新的或空的文件夹")
    for path in paths:  # a folder of ours where a file now goes
        if (folder / path).is_dir():
            raise UsageError(f"文件夹 {display_path(shown)} 里的“{path}”是一个文件夹，挡住了要写出的同名文件："
                             "请换一个新的或空的文件夹")


def _entries(folder: Path, prefix: str = "") -> Iterator[str]:
    """Every entry under ``folder`` that is not a real folder, as a relative POSIX path (links
    are entries, never followed); the manifest itself aside."""
    with os.scandir(folder) as listing:
        for entry in sorted(listing, key=lambda e: e.name):
            relative = prefix + entry.name
            if relative == MANIFEST:
                continue
            if entry.is_dir(follow_symlinks=False):
                yield from _entries(Path(entry.path), relative + "/")
            elif entry.is_file(follow_symlinks=False):
                yield relative
            else:
                yield relative + "（链接或特殊文件）"  # never in a manifest: refused


def _manifest(folder: Path) -> set[str]:
    file = folder / MANIFEST
    if file.is_symlink() or not file.is_file():
        return set()
    with open(file, "rb") as handle:
        text = handle.read(16 * 1024 * 1024).decode("utf-8", "replace")
    return {line for line in text.split("\n") if _plain(line)}


def _plain(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and not path.startswith("#") and "" not in parts and "." not in parts and ".." not in parts \
        and "\\" not in path and "\0" not in path


def _manifest_text(paths: list[str]) -> str:
    return "\n".join([_HEADER, *sorted(paths)]) + "\n"


def _remove_empty_parents(folder: Path, file: Path) -> None:
    for parent in file.parents:
        if parent == folder or not parent.is_relative_to(folder):
            return
        try:
            parent.rmdir()
        except OSError:  # not empty: someone's files, or more of ours
            return

