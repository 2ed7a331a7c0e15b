"""Virtual environments outside the checkout, for what must not run in the test's own:
Zensical (which needs newer Markdown extensions than Material) and Yipin installed from its
wheel as a street would install it. pip reaches the package index; its own cache keeps the
second run short."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path


def make_venv(folder: Path, *requirements: str) -> Path:
    """A new virtual environment in ``folder`` with ``requirements`` installed; returns its bin/."""
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    bin_dir = folder / ("Scripts" if sys.platform == "win32" else "bin")
    if requirements:
        subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        *requirements], check=True)
    return bin_dir


def cached_venv(cache: Path, name: str, *requirements: str) -> Path:
    """make_venv, kept in ``cache``/``name`` between runs (marked complete by a file)."""
    folder = cache / name
    bin_dir = folder / ("Scripts" if sys.platform == "win32" else "bin")
    if not (folder / ".complete").is_file():
        make_venv(folder, *requirements)
        (folder / ".complete").touch()
    return bin_dir
