"""Reading other sites' published files: the only network a build uses besides installing
its tools.

Each file is fetched over HTTP(S) with a time limit for the whole answer (not only for each
read: a server that drips a byte a second cannot hold the build), a size limit, and a
conditional request (ETag / Last-Modified) against the last good copy, which is kept in the
build cache. Nothing but http and https is followed, redirects included. A site built on
disk is read from its folder instead (a CI artifact). Files are fetched a few at a time.

Whether a fetched file is good is the caller's judgement (it validates against the published
schemas); only then is it kept as the new last good copy (Snapshots.keep).
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import re
import socket
import threading
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urlsplit

from yipin import __version__
from yipin.utils.files import write_atomic

__all__ = ["Answer", "Snapshots", "fetch", "in_parallel", "origin", "same_origin", "shown_address", "TIMEOUT",
           "MAX_BYTES", "SEARCH_TEXT_BYTES", "PARALLEL"]

TIMEOUT = 10.0              # seconds for a whole answer
MAX_BYTES = 20_000_000      # a member's case list of 20,000 cases is about 20 MB
SEARCH_TEXT_BYTES = 100_000_000  # its search text: about 7.5 KB a case (search/text.py), 13,000 cases
PARALLEL = 8                # requests at a time: polite to members; 40 silent members cost 50 s at most
USER_AGENT = f"yipin/{__version__} (+portal)"

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Answer:
    """What a fetch gave: the body (None when unchanged since the snapshot, or failed), the
    validators for the next conditional request, and why it failed (Chinese), if it did."""

    body: bytes | None
    etag: str = ""
    modified: str = ""
    unchanged: bool = False
    problem: str = ""


class _NoOtherSchemes(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urlsplit(newurl).scheme not in ("http", "https"):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Watchdog:
    """Shuts the request's sockets when its time is up. A socket timeout bounds each read
    only: a server that sends a byte every few seconds, headers included, would never trip
    it. Shutting the socket wakes whatever read is waiting."""

    def __init__(self, timeout: float) -> None:
        self.sockets: list[socket.socket] = []
        self.expired = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(timeout, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self.sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self.sockets:
                _shut(sock)

    def connection(self, base: type[http.client.HTTPConnection]) -> type[http.client.HTTPConnection]:
        watchdog = self

        class Watched(base):  # type: ignore[valid-type,misc]
            def connect(self) -> None:
                super().connect()
                watchdog.watch(self.sock)

        return Watched


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self.watchdog = watchdog

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.watchdog.connection(http.client.HTTPConnection), req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self.watchdog = watchdog

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.watchdog.connection(http.client.HTTPSConnection), req,
                            context=self._context)


def _opener(watchdog: _Watchdog) -> urllib.request.OpenerDirector:
    """Only what a site's published files need (no file://, ftp:// or data:), every
    connection watched."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), _HTTP(watchdog), _HTTPS(watchdog), _NoOtherSchemes(),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def fetch(url: str, *, etag: str = "", modified: str = "", timeout: float = TIMEOUT,
          max_bytes: int = MAX_BYTES) -> Answer:
    """GET ``url``; never raises, never waits longer than ``timeout`` for the whole answer."""
    if urlsplit(url).scheme not in ("http", "https"):
        return Answer(None, problem=f"不是 http(s) 网址：{url}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json",
                                                   "Accept-Encoding": "gzip",
                                                   **({"If-None-Match": etag} if etag else {}),
                                                   **({"If-Modified-Since": modified} if modified else {})})
    with _Watchdog(timeout) as watchdog:
        try:
            with _opener(watchdog).open(request, timeout=timeout) as response:
                chunks, size = [], 0
                while chunk := response.read1(65536):
                    size += len(chunk)
                    if size > max_bytes:
                        return Answer(None, problem=f"文件超过 {_size(max_bytes)}")
                    chunks.append(chunk)
                if watchdog.expired:  # the socket was shut: what arrived is cut short
                    raise TimeoutError
                promised = response.headers.get("Content-Length", "")
                if promised.isdigit() and int(promised) != size:
                    return Answer(None, problem=f"传输中断：只收到 {size:,} 字节，应有 {int(promised):,} 字节")
                body = b"".join(chunks)
                if response.headers.get("Content-Encoding", "").lower() == "gzip":
                    body = _gunzip(body, max_bytes)
                    if body is None:
                        return Answer(None, problem=f"文件解压后超过 {_size(max_bytes)}，或不是 gzip")
                return Answer(body, response.headers.get("ETag", ""), response.headers.get("Last-Modified", ""))
        except urllib.error.HTTPError as exc:
            if exc.code == 304 and (etag or modified):
                return Answer(None, etag, modified, unchanged=True)
            if exc.code == 304:   # "unchanged" since nothing: no file at all
                return Answer(None, problem="服务器回答 HTTP 304（未修改），可这次并没有以前的副本可比")
            return Answer(None, problem=f"服务器回答 HTTP {exc.code}")
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
            if watchdog.expired:
                return Answer(None, problem=f"{timeout:g} 秒内没有传完")
            reason = getattr(exc, "reason", exc)
            return Answer(None, problem=f"连接不上（{reason}）")


def _gunzip(data: bytes, max_bytes: int) -> bytes | None:
    """A gzip body, unpacked no further than ``max_bytes`` (a small bomb unpacks to gigabytes)."""
    unpack = zlib.decompressobj(wbits=31)
    try:
        body = unpack.decompress(data, max_bytes + 1)
    except zlib.error:
        return None
    return body if len(body) <= max_bytes and unpack.eof else None


def _size(count: int) -> str:
    return f"{count / 1_000_000:g} MB" if count >= 1_000_000 else f"{count:,} 字节"


class Snapshots:
    """The last good copy of each fetched file, with its validators, in the build cache
    (None: in memory only, as for a build without a cache)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memory: dict[str, tuple[bytes, str, str]] = {}

    def _path(self, url: str) -> Path | None:
        return self.folder / hashlib.sha256(url.encode()).hexdigest()[:24] if self.folder else None

    def load(self, url: str) -> tuple[bytes, str, str] | None:
        """(body, etag, last-modified) of the last good copy, or None."""
        if url in self._memory:
            return self._memory[url]
        path = self._path(url)
        try:
            meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8")) if path else None
            body = path.with_suffix(".body").read_bytes() if path else None
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or body is None:
            return None
        return body, str(meta.get("etag", "")), str(meta.get("modified", ""))

    def keep(self, url: str, body: bytes, etag: str, modified: str) -> None:
        self._memory[url] = (body, etag, modified)
        path = self._path(url)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path.with_suffix(".body"), body)
        write_atomic(path.with_suffix(".json"), json.dumps({"url": url, "etag": etag, "modified": modified}).encode())


def in_parallel(function: Callable[[T], R], items: Iterable[T], workers: int = PARALLEL) -> list[R]:
    """``function`` over ``items``, a few at a time, in order."""
    items = list(items)
    if len(items) <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        return list(pool.map(function, items))


_HOST = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?")


def origin(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) address with a plain host name (what a
    Content-Security-Policy may name), else None. Whatever a browser could read otherwise
    (a backslash, which it takes for a slash; user info) is refused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not _HOST.fullmatch(host) or "\\" in url or "@" in parts.netloc:
        return None
    return f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")


def same_origin(url: str, base: str) -> bool:
    """Whether ``url`` lies on ``base``'s scheme, host and port, under its path. An address
    with dot segments (``/a/../b/``, also percent-encoded) or a backslash is not taken to
    lie anywhere: a browser resolves it elsewhere than it reads."""
    if origin(url) is None or origin(base) is None:
        return False
    a, b = urlsplit(url), urlsplit(base)
    if {".", ".."} & set(unquote(a.path).split("/")):
        return False
    folder = b.path if b.path.endswith("/") else b.path + "/"   # /parent-1 holds /parent-1/x/, not /parent-10/
    return (a.scheme, a.netloc) == (b.scheme, b.netloc) and a.path.startswith(folder)


def shown_address(url: str) -> str:
    """An address as a public page or a log line may show it: scheme, host, port and path,
    never the user name, password, query or fragment mkdocs.yml may carry."""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:
        return "（网址有误）"
    return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"
