"""The outputs of one build, planned before anything touches the disk, and the writer that
puts them on disk atomically. Most outputs are bytes in memory; big ones (image variants)
are files already on disk, in the image cache, linked or copied by the writer."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path

from yipin.errors import YipinError
from yipin.utils.owned import write_owned
from yipin.utils.staging import published

__all__ = ["Outputs", "write_tree", "replace_tree"]


class _OnDisk(str):
    """The path of a file whose bytes are the output (kept as a string: cheap by the 10,000)."""


class Outputs(Mapping[str, bytes]):
    """Site-relative POSIX path → bytes. Each path may be planned once only: two stages
    fighting over one URL is a bug, caught here rather than by a silently lost page."""

    def __init__(self) -> None:
        self._files: dict[str, bytes | _OnDisk] = {}

    def add(self, path: str, content: str | bytes) -> None:
        self._put(path, content.encode("utf-8") if isinstance(content, str) else content)

    def add_file(self, path: str, source: str | Path) -> None:
        """An output that is the file ``source``, never read into memory by the build."""
        self._put(path, _OnDisk(source))

    def _put(self, path: str, content: bytes | _OnDisk) -> None:
        if not path or path.startswith("/") or ".." in path.split("/"):  # strings: 40,000 image outputs
            raise YipinError(f"这是 Yipin 的问题：输出文件 {path!r} 不在网站文件夹里，请把这一行报告给维护者")
        if path in self._files:
            raise YipinError(f"这是 Yipin 的问题：两个输出写到同一个文件 {path}，请把这一行报告给维护者")
        self._files[path] = content

    def update_from(self, files: Mapping[str, str | bytes]) -> None:
        if isinstance(files, Outputs):  # keep file outputs as files
            for path, content in files._files.items():
                self._put(path, content)
            return
        for path, content in files.items():
            self.add(path, content)

    def source(self, path: str) -> Path | None:
        """The file on disk behind an output added with add_file, else None."""
        content = self._files[path]
        return Path(content) if isinstance(content, _OnDisk) else None

    def __getitem__(self, path: str) -> bytes:
        content = self._files[path]
        return Path(content).read_bytes() if isinstance(content, _OnDisk) else content

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._files))

    def __len__(self) -> int:
        return len(self._files)


def write_tree(outputs: Mapping[str, bytes], target: Path) -> None:
    """Write every output into the user's folder ``target``, replacing only what an earlier
    write put there (utils/owned.py)."""
    def put(path: str, file: Path) -> None:
        source = outputs.source(path) if isinstance(outputs, Outputs) else None
        if source is None:
            file.write_bytes(outputs[path])
        else:
            _link_or_copy(source, file)
    write_owned(list(outputs), put, Path(target))


def replace_tree(staging: Path, target: Path) -> None:
    """Put the finished folder ``staging`` (staging.py) in place of ``target``: two renames,
    so a reader sees the old tree or the new one, never a mix; the old tree is then removed."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.{os.getpid()}.old")  # swept like staging if we die here
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    staging.rename(target)
    published(staging)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link costs no space or time; across file systems, a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
