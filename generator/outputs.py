"""The outputs of one build, planned in memory before anything touches the disk, and the
writer that puts them on disk atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

from .errors import YipinError

__all__ = ["Outputs", "write_tree", "replace_tree"]


class Outputs(Mapping[str, bytes]):
    """Site-relative POSIX path → bytes. Each path may be planned once only: two stages
    fighting over one URL is a bug, caught here rather than by a silently lost page."""

    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}

    def add(self, path: str, content: str | bytes) -> None:
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or not path:
            raise YipinError(f"output path escapes the output folder: {path!r}")
        if path in self._files:
            raise YipinError(f"two outputs for one path: {path}")
        self._files[path] = content.encode("utf-8") if isinstance(content, str) else content

    def update_from(self, files: Mapping[str, str | bytes]) -> None:
        for path, content in files.items():
            self.add(path, content)

    def __getitem__(self, path: str) -> bytes:
        return self._files[path]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._files))

    def __len__(self) -> int:
        return len(self._files)


def write_tree(outputs: Mapping[str, bytes], target: Path) -> None:
    """Write every output under a new temporary folder, then swap it in for ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for path, content in outputs.items():
            file = staging / path
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(content)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    replace_tree(staging, target)


def replace_tree(staging: Path, target: Path) -> None:
    """Put the finished folder ``staging`` in place of ``target``: two renames, so a
    reader sees the old tree or the new one, never a mix; the old tree is then removed."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
