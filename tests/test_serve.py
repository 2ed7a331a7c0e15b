"""Live preview: `mkdocs serve` rebuilds on a content edit, and an invalid edit shows the
error lines in the terminal while the last good preview stays up."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .conftest import make_content, site_config


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = predicate()
            if result:
                return result
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_content_edit_rebuilds_and_invalid_edit_keeps_last_good_preview(tmp_path: Path):
    content = make_content(tmp_path)
    config = site_config(tmp_path, content)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
            stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    page = f"http://127.0.0.1:{port}/cases/base/"
    record = content / "cases" / "base.yaml"
    try:
        assert "样例品牌" in wait_for(lambda: fetch(page))
        record.write_text(record.read_text(encoding="utf-8").replace("  slogan: 样例口号", "  slogn: 样例口号"),
                          encoding="utf-8")
        wait_for(lambda: "brand.slogn" in log.read_text(encoding="utf-8"))
        assert "content/cases/base.yaml:5:3: brand.slogn: 未知字段 slogn，你是不是想写 slogan（口号）？" in \
            log.read_text(encoding="utf-8").replace(str(tmp_path) + "/", "")
        preview = wait_for(lambda: (html := fetch(page)) and "yp-preview-errors" in html and html)
        assert "样例口号" in preview  # the last good preview is still served, with the errors on top
        assert "brand.slogn: 未知字段 slogn" in preview
        started = time.monotonic()
        record.write_text(record.read_text(encoding="utf-8").replace("  slogn: 样例口号", "  slogan: 改好的口号"),
                          encoding="utf-8")
        wait_for(lambda: "改好的口号" in fetch(page))
        assert time.monotonic() - started < 10
    finally:
        server.terminate()
        server.wait(timeout=10)
