"""Virtual environments outside the checkout, for what must not run in the test's own:
Zensical (which needs newer Markdown extensions than Material) and Yipin installed from its
wheel as a street would install it. pip reaches the package index; its own cache keeps the
second run short. Yipin's libraries are held to the versions of requirements.lock.txt (as
constraints, so the wheel's own dependencies are still what pip resolves), except under
`make test-latest` (YIPIN_UNLOCKED=1), which tries the newest the ranges allow."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
from pathlib import Path

LOCK = Path(__file__).parent.parent / "requirements.lock.txt"


def make_venv(folder: Path, *requirements: str, locked: bool = True) -> Path:
    """A new virtual environment in ``folder`` with ``requirements`` installed; returns its bin/."""
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    bin_dir = folder / ("Scripts" if sys.platform == "win32" else "bin")
    if requirements:
        constraints = ["--constraint", str(_constraints(folder))] if locked and not os.environ.get("YIPIN_UNLOCKED") else []
        subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        *constraints, *requirements], check=True)
    return bin_dir


def _constraints(folder: Path) -> Path:
    """The lock's versions without its hashes (pip takes no hashes in a constraints file)."""
    pinned = re.findall(r"^([A-Za-z0-9][^ \n]*==[^ \n]+(?: ; [^\\\n]+)?)", LOCK.read_text(encoding="utf-8"), re.M)
    path = folder / "constraints.txt"
    path.write_text("".join(line.strip() + "\n" for line in pinned), encoding="utf-8")
    return path


def cached_venv(cache: Path, name: str, *requirements: str) -> Path:
    """make_venv, kept in ``cache``/``name`` between runs (marked complete by a file): another
    tool's own environment, so not held to Yipin's lock."""
    folder = cache / name
    bin_dir = folder / ("Scripts" if sys.platform == "win32" else "bin")
    if not (folder / ".complete").is_file():
        make_venv(folder, *requirements, locked=False)
        (folder / ".complete").touch()
    return bin_dir
