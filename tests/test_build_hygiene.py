"""What a build leaves on disk and in the process table: a site a web server running as
another user can read, and after a build that was stopped (SIGTERM, Ctrl-C) or crashed, the
previous site as it was, no staging folder and no process."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from yipin.utils.staging import new_staging, sweep

from .conftest import REPO, build, make_content, site_config
from .image_fixtures import camera_jpeg


def test_the_site_has_the_usual_modes_for_the_umask(tmp_path):
    previous = os.umask(0o022)
    try:
        site = build(site_config(tmp_path, make_content(tmp_path)))
    finally:
        os.umask(previous)
    modes = {stat.S_IMODE(path.stat().st_mode) for path in (site, *site.rglob("*")) if path.is_dir()}
    assert modes == {0o755}
    modes = {stat.S_IMODE(path.stat().st_mode) for path in site.rglob("*") if path.is_file()}
    assert modes == {0o644}


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_crashed_builds_staging_is_swept_and_a_running_ones_kept(tmp_path):
    target = tmp_path / "site"
    crashed = tmp_path / f".site.{_dead_pid()}.abcd"
    (crashed / "cases").mkdir(parents=True)
    running = tmp_path / f".site.{os.getppid()}.efgh"  # pytest's parent: alive
    running.mkdir()
    unrelated = tmp_path / ".site-notes"
    unrelated.mkdir()
    staging = new_staging(target)
    assert not crashed.exists() and running.is_dir() and unrelated.is_dir()
    assert staging.name.startswith(f".site.{os.getpid()}.")
    sweep(target)
    assert staging.is_dir()  # this process is alive


def _images_content(tmp_path: Path, count: int) -> Path:
    """The fixture content with a gallery of ``count`` phone photos: a few seconds of work."""
    content = make_content(tmp_path)
    folder = content / "images" / "base"
    case = content / "cases" / "base.yaml"
    gallery = "".join(f"  - {{src: images/base/photo-{i}.jpg, alt: 照片{i}}}\n" for i in range(count))
    for i in range(count):
        camera_jpeg(folder / f"photo-{i}.jpg", (3000, 2000), seed=i)
    text = case.read_text(encoding="utf-8")
    start = text.index("gallery:\n")
    end = text.index("sources:")
    case.write_text(text[:start] + "gallery:\n" + gallery + text[end:], encoding="utf-8")
    return content


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


COMMANDS = {
    "yipin build, SIGTERM": ([sys.executable, "-m", "yipin", "build", "-f"], signal.SIGTERM, 130),
    "yipin build, Ctrl-C": ([sys.executable, "-m", "yipin", "build", "-f"], signal.SIGINT, 130),
    "mkdocs build, SIGTERM": ([sys.executable, "-m", "mkdocs", "build", "-q", "-f"], signal.SIGTERM, 1),
}


@pytest.mark.parametrize("name", COMMANDS)
def test_a_stopped_build_leaves_the_previous_site_and_nothing_else(name, tmp_path):
    command, signum, exit_code = COMMANDS[name]
    config = site_config(tmp_path, _images_content(tmp_path, 16), image_workers=2)
    previous = tmp_path / "site" / "index.html"
    previous.parent.mkdir()
    previous.write_text("the previous site", encoding="utf-8")
    log = tmp_path / "stderr.txt"
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    with open(log, "wb") as errors:
        build = subprocess.Popen([*command, str(config)], cwd=tmp_path, stderr=errors, stdout=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 120
        while "张需要生成" not in log.read_text(encoding="utf-8") or len(_descendants(build.pid)) < 2:
            assert build.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "the image stage never started"
            time.sleep(0.02)
        children = _descendants(build.pid)
        assert list(tmp_path.glob(".site.*")), "the build should be writing into a staging folder now"
        build.send_signal(signum)
        assert build.wait(timeout=30) == exit_code
    finally:
        build.kill()
    said = log.read_text(encoding="utf-8")
    assert "Traceback" not in said, said
    if command[2] == "yipin":
        assert said.rstrip().endswith("已停止，网站没有更新。")
    assert previous.read_text(encoding="utf-8") == "the previous site"
    assert list(tmp_path.glob(".site.*")) == []
    assert [p for p in (tmp_path / ".yipin-cache" / "images").rglob(".*") if p.is_dir()] == []
    time.sleep(0.5)  # a terminated worker may take a moment to be reaped
    assert [pid for pid in children if _running(pid)] == []


SLOW_PAGEFIND = """import {{ writeFileSync }} from "node:fs";
export async function createIndex() {{
  writeFileSync({pid}, String(process.pid));
  await new Promise((resolve) => setTimeout(resolve, 120000));
}}
export async function close() {{}}
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_build_stopped_while_pagefind_indexes_stops_pagefind_too(signum, tmp_path):
    """Pagefind is the site's own here (node_modules/pagefind), a stand-in that only waits."""
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "yipin", "init", str(site), "--yes"], check=True, capture_output=True)
    fake = site / "node_modules" / "pagefind"
    (fake / "lib").mkdir(parents=True)
    (fake / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    (fake / "lib" / "index.js").write_text(SLOW_PAGEFIND.format(pid=json.dumps(str(tmp_path / "pagefind.pid"))),
                                           encoding="utf-8")
    log = tmp_path / "stderr.txt"
    with open(log, "wb") as errors:
        build = subprocess.Popen([sys.executable, "-m", "yipin", "build"], cwd=site, stdout=subprocess.DEVNULL,
                                 stderr=errors, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        deadline = time.monotonic() + 120
        while not (tmp_path / "pagefind.pid").is_file():
            assert build.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "Pagefind never started"
            time.sleep(0.02)
        time.sleep(0.1)  # the pid is written; the stand-in is in its sleep now
        pagefind = int((tmp_path / "pagefind.pid").read_text())
        build.send_signal(signum)
        assert build.wait(timeout=30) == 130
    finally:
        build.kill()
    assert "已停止，网站没有更新。" in log.read_text(encoding="utf-8")
    time.sleep(0.5)
    assert not _running(pagefind)
    assert list(site.glob(".site.*")) == [] and not (site / "site").exists()
