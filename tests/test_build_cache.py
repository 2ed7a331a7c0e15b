"""The build cache: a rebuild after any kind of change gives exactly what a build from
nothing gives, records are parsed again only when their files change, and a damaged or
stale cache is never an error."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from yipin.build.pipeline import build_site
from yipin.cache import BuildCache
from yipin.config import Settings, settings_from_mkdocs_yml
from yipin.content import reader
from yipin.content.validate import validate_content
from yipin.errors import ContentErrors

from .conftest import REPO, site_config


def outputs(settings: Settings) -> dict[str, bytes]:
    built = build_site(settings)
    return {**{p: built.pages[p] for p in built.pages}, **{f"files/{p}": built.files[p] for p in built.files}}


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append_to(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# Each change touches something a cached output shows: a case's text, one with activities,
# the newest date (which moves the calendar window), a street profile, a case moved to a
# new street, a picture, the taxonomy, a setting.
CHANGES = {
    "story text": lambda c, cfg: replace_in(c / "cases" / "zhouxin-qiming.yaml", "summary: ", "summary: 新版："),
    "activity": lambda c, cfg: replace_in(c / "cases" / "liujiabao-hongxin.yaml", "start: 2025-01-03 09:00",
                                          "start: 2025-01-03 09:30"),
    "newest date": lambda c, cfg: append_to(c / "cases" / "zhouxin-zhennan.yaml", "updated: 2027-06-30\n"),
    "street profile": lambda c, cfg: replace_in(c / "streets" / "zhouxin.yaml", "intro: ", "intro: 新介绍。"),
    "moved street": lambda c, cfg: replace_in(c / "cases" / "beizhen-yulonghu.yaml", "street: 北镇街道", "street: 南镇街道"),
    "picture": lambda c, cfg: shutil.copy(c / "images" / "zhouxin-zhennan" / "brand-card.png",
                                          c / "images" / "zhouxin-lianjiang" / "brand-card.png"),
    "taxonomy": lambda c, cfg: replace_in(c / "taxonomy.yaml", "description: ", "description: 新释义，"),
    "setting": lambda c, cfg: replace_in(cfg, "site_name: ", "site_name: 新"),
}


@pytest.fixture
def sample(tmp_path: Path) -> tuple[Path, Path]:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    return content, site_config(tmp_path, content)


def test_every_rebuild_equals_a_build_from_nothing(sample, tmp_path):
    content, config = sample
    settings = settings_from_mkdocs_yml(config)
    outputs(settings)  # fills the cache
    for name, change in CHANGES.items():
        change(content, config)
        settings = settings_from_mkdocs_yml(config)
        rebuilt = outputs(settings)
        fresh = outputs(Settings(**{**vars(settings), "build_cache": tmp_path / f"empty-{len(rebuilt)}-{name}"}))
        changed = sorted(path for path in fresh if rebuilt.get(path) != fresh[path])
        assert not changed and rebuilt.keys() == fresh.keys(), f"after changing the {name}: {changed[:5]}"


def test_a_rebuild_reads_only_the_changed_record(sample, monkeypatch):
    content, config = sample
    settings = settings_from_mkdocs_yml(config)
    first = validate_content(content, cache=BuildCache(settings.build_cache_dir))
    read: list[str] = []
    original = reader.read_document
    monkeypatch.setattr("yipin.content.validate.read_document",
                        lambda path, *raw: (read.append(path.name), original(path, *raw))[1])
    CHANGES["story text"](content, config)
    again = validate_content(content, cache=BuildCache(settings.build_cache_dir))
    assert read == ["taxonomy.yaml", "zhouxin-qiming.yaml"]  # the taxonomy: part of every key
    assert [c.record for c in again.cases if c.id != "zhouxin-qiming"] == \
           [c.record for c in first.cases if c.id != "zhouxin-qiming"]


def test_an_error_in_a_cached_record_points_at_its_line(sample):
    """A record from the cache has no positions until an error needs one (here, a street
    profile added later disagrees with it)."""
    content, config = sample
    cache = settings_from_mkdocs_yml(config).build_cache_dir
    validate_content(content, cache=BuildCache(cache))
    replace_in(content / "streets" / "zhouxin.yaml", "district: 清城区", "district: 清新区")
    with pytest.raises(ContentErrors) as cached:
        validate_content(content, cache=BuildCache(cache))
    with pytest.raises(ContentErrors) as uncached:
        validate_content(content)
    assert [str(e) for e in cached.value.errors] == [str(e) for e in uncached.value.errors]
    mismatch = [str(e) for e in cached.value.errors if e.code == "street-mismatch"]
    assert mismatch and all(re.search(r"cases/zhouxin-\w+\.yaml:\d+:\d+: community\.region\.district", m) for m in mismatch)


def test_a_damaged_or_foreign_cache_is_ignored(sample):
    content, config = sample
    settings = settings_from_mkdocs_yml(config)
    first = outputs(settings)
    tables = sorted(settings.build_cache_dir.glob("*.pickle"))
    assert {t.stem for t in tables} >= {"records", "case-pages", "place-pages", "case-api", "starters", "ical"}
    tables[0].write_bytes(b"not a pickle")
    tables[1].write_bytes(tables[1].read_bytes()[:100])
    assert outputs(settings) == first


def test_a_new_version_of_the_code_starts_afresh(sample, monkeypatch):
    content, config = sample
    folder = settings_from_mkdocs_yml(config).build_cache_dir
    records = len(list(content.glob("*/*.yaml")))

    def hits() -> int:
        cache = BuildCache(folder)
        validate_content(content, cache=cache)
        return cache.table("records").hits

    assert (hits(), hits()) == (0, records)
    monkeypatch.setattr("yipin.cache.code_fingerprint", lambda: "another version of Yipin")
    assert (hits(), hits()) == (0, records)


def test_the_fingerprint_does_not_depend_on_the_working_directory(tmp_path):
    """From the repository, sys.path also holds its yipin.egg-info: a cache filled by
    `make site` must still be valid for `yipin build` run elsewhere."""
    program = f"import sys; sys.path.insert(0, {str(REPO)!r}); from yipin.cache import code_fingerprint; " \
              "print(code_fingerprint())"
    prints = {subprocess.run([sys.executable, "-c", program], cwd=cwd, capture_output=True, text=True, check=True).stdout
              for cwd in (REPO, tmp_path)}
    assert len(prints) == 1
