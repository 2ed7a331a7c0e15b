from __future__ import annotations

import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
REPO = TESTS.parent
FIXTURE_CONTENT = TESTS / "fixtures" / "content"
BAD_INPUTS = TESTS / "bad_inputs"


def make_content(tmp_path: Path, *overlays: Path) -> Path:
    """A copy of the fixture content with each overlay folder copied on top."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for overlay in overlays:
        shutil.copytree(overlay, content, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    return content


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from tmp_path, so reported paths read content/cases/x.yaml."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
