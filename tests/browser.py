"""Shared helpers for real-browser tests: serve a built site on 127.0.0.1 and drive
Debian's Chromium with Playwright (never a downloaded browser)."""

from __future__ import annotations

import contextlib
import email.utils
import functools
import gzip
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def chromium_path() -> str:
    path = shutil.which("chromium")
    assert path, "Debian's chromium is required for browser tests: apt-get install chromium (.ci/run does)"
    return path


COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ics", ".yaml", ".mjs"}


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files as a real web server sends them: text compressed with gzip."""

    cors = False  # send Access-Control-Allow-Origin: * (a portal's member on another origin)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path.split("?")[0]))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESSIBLE or "gzip" not in self.headers.get("Accept-Encoding", "") \
                or not path.is_file():
            return super().do_GET()
        modified = email.utils.formatdate(int(path.stat().st_mtime), usegmt=True)
        if self.headers.get("If-Modified-Since") == modified:  # as the uncompressed path answers
            self.send_response(304)
            self.end_headers()
            return None
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", modified)
        self.end_headers()
        self.wfile.write(body)


class _CorsHandler(_Handler):
    cors = True


class Server:
    """``folder`` served over HTTP on 127.0.0.1 until stopped; ``url`` ends in '/'."""

    def __init__(self, folder: Path, *, cors: bool = False) -> None:
        handler = functools.partial(_CorsHandler if cors else _Handler, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.running = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.running:
            self.running = False
            self.server.shutdown()
            self.server.server_close()


@contextlib.contextmanager
def serve(folder: Path, *, cors: bool = False) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1; yields the base URL ending in '/'."""
    server = Server(folder, cors=cors)
    try:
        yield server.url
    finally:
        server.stop()


@contextlib.contextmanager
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()
