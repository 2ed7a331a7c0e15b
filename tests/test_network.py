"""The network package on its own: fetch() against small servers on 127.0.0.1 that misbehave
on purpose, the last good copies, the origin checks a CSP and a member's addresses rest on,
members read from JSON written here through the published models, who copied whom, the
config that names members, and a member's activities as calendar occurrences."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import http.server
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from yipin import __version__
from yipin.api.models import ActivitiesResponse, CasesResponse, CaseSummary, Inspiration, SiteManifest
from yipin.calendar.remote import remote_occurrences
from yipin.config import MemberSource, Settings, settings_from_options
from yipin.errors import YipinError
from yipin.network import fetch as fetch_module
from yipin.network.copies import Copies, Origin
from yipin.network.fetch import Answer, Snapshots, fetch, in_parallel, origin, same_origin
from yipin.network.members import read_manifest, read_members
from yipin.network.portal import Network, read_network, vouched

MODIFIED = "Wed, 01 May 2024 00:00:00 GMT"
UPDATED = "2024-05-01"

# --- a web server whose every path answers as the test says ------------------------------------------

Route = bytes | int | Callable[[http.server.BaseHTTPRequestHandler], None]


class _Handler(http.server.BaseHTTPRequestHandler):
    """bytes: 200 with an ETag (304 when If-None-Match names it); int: that status; a
    callable: it answers itself. Anything else: 404."""

    protocol_version = "HTTP/1.1"
    server: _Threads

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        web = self.server.web
        web.requests.append((self.path, dict(self.headers)))
        route = web.routes.get(self.path, 404)
        if callable(route):
            return route(self)
        if isinstance(route, int):
            return self._send(route, b"")
        etag = '"' + hashlib.sha256(route).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, None, etag)
        self._send(200, route, etag)

    def _send(self, status: int, body: bytes | None, etag: str = "") -> None:
        self.send_response(status)
        if etag:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", MODIFIED)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        if body:
            self.wfile.write(body)


class _Threads(http.server.ThreadingHTTPServer):
    daemon_threads = True  # a dripping answer never holds the test's teardown
    web: Web


class Web:
    """A server on 127.0.0.1 (a port of its own); ``url`` ends in '/'."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.server = _Threads(("127.0.0.1", 0), _Handler)
        self.server.web = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def web() -> Iterator[Web]:
    server = Web()
    yield server
    server.stop()


@contextlib.contextmanager
def timed(limit: float) -> Iterator[None]:
    started = time.monotonic()
    yield
    elapsed = time.monotonic() - started
    assert elapsed < limit, f"took {elapsed:.1f} s"


def _drip_body(handler: http.server.BaseHTTPRequestHandler) -> None:
    """100 bytes announced, one every 50 ms (5 s in all)."""
    handler.send_response(200)
    handler.send_header("Content-Length", "100")
    handler.end_headers()
    _drip(handler, b"x" * 100)


def _drip_headers(handler: http.server.BaseHTTPRequestHandler) -> None:
    """A status line, then a header line every 50 ms (5 s in all)."""
    _drip(handler, b"HTTP/1.1 200 OK\r\n" + b"X-Slow: 1\r\n" * 100, step=11)


def _drip(handler: http.server.BaseHTTPRequestHandler, data: bytes, step: int = 1) -> None:
    with contextlib.suppress(OSError):
        for at in range(0, len(data), step):
            handler.wfile.write(data[at:at + step])
            handler.wfile.flush()
            time.sleep(0.05)


def _raw(data: bytes) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    """An answer written as it is, then the connection closed."""
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.wfile.write(data)
        handler.wfile.flush()
        handler.close_connection = True
    return answer


def _redirect(location: str) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return answer


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- fetch() -------------------------------------------------------------------------------------------

def test_fetch_returns_the_body_and_its_validators(web):
    """A plain answer: the body, and the ETag and Last-Modified the next request sends back."""
    web.routes["/api/v1/site.json"] = b'{"name": "\xe6\xb4\xb2\xe5\xbf\x83"}'
    answer = fetch(web.url + "api/v1/site.json")
    etag = '"' + hashlib.sha256(b'{"name": "\xe6\xb4\xb2\xe5\xbf\x83"}').hexdigest()[:16] + '"'
    assert answer == Answer(b'{"name": "\xe6\xb4\xb2\xe5\xbf\x83"}', etag, MODIFIED)
    assert web.requests[0][1]["User-Agent"] == f"yipin/{__version__} (+portal)"
    assert web.requests[0][1]["Accept"] == "application/json"
    assert "If-None-Match" not in web.requests[0][1]


def test_fetch_sends_the_validators_and_a_304_means_unchanged(web):
    """A conditional request names the last good copy; 304 keeps its validators."""
    web.routes["/cases.json"] = b"[]"
    first = fetch(web.url + "cases.json")
    again = fetch(web.url + "cases.json", etag=first.etag, modified=MODIFIED)
    assert again == Answer(None, first.etag, MODIFIED, unchanged=True)
    assert web.requests[1][1]["If-None-Match"] == first.etag
    assert web.requests[1][1]["If-Modified-Since"] == MODIFIED


def test_fetch_stops_at_the_size_limit(web):
    """One byte over the limit is too much; the limit itself is not."""
    web.routes["/big.json"] = b"x" * 1_000_001
    web.routes["/full.json"] = b"x" * 1_000_000
    assert fetch(web.url + "big.json", max_bytes=1_000_000) == Answer(None, problem="文件超过 1 MB")
    assert fetch(web.url + "full.json", max_bytes=1_000_000).body == b"x" * 1_000_000
    assert fetch(web.url + "full.json", max_bytes=1000) == Answer(None, problem="文件超过 1,000 字节")


def _gzipped(data: bytes) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        body = gzip.compress(data, mtime=0)
        handler.send_response(200)
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return answer


def test_fetch_asks_for_gzip_and_unpacks_no_further_than_the_limit(web):
    """Member files compress twentyfold; a bomb (10 MB of zeros in 10 KB) stops at the limit."""
    web.routes["/cases.json"] = _gzipped(b'{"cases": []}')
    web.routes["/bomb.json"] = _gzipped(b"0" * 10_000_000)
    web.routes["/broken.json"] = _raw(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nnope")
    assert fetch(web.url + "cases.json").body == b'{"cases": []}'
    assert web.requests[0][1]["Accept-Encoding"] == "gzip"
    assert fetch(web.url + "bomb.json", max_bytes=1_000_000) == Answer(None, problem="文件解压后超过 1 MB，或不是 gzip")
    assert fetch(web.url + "broken.json").problem == "文件解压后超过 20 MB，或不是 gzip"


def test_fetch_gives_up_on_a_dripping_body_within_the_timeout(web):
    """A server that sends a byte every 50 ms cannot hold the build past the whole answer's time limit."""
    web.routes["/drip.json"] = _drip_body
    with timed(2.0):
        answer = fetch(web.url + "drip.json", timeout=1)
    assert answer == Answer(None, problem="1 秒内没有传完")


def test_fetch_gives_up_on_dripping_headers_within_the_timeout(web):
    """Headers dripped line by line are part of the answer too: the time limit covers them."""
    web.routes["/drip.json"] = _drip_headers
    with timed(2.0):
        answer = fetch(web.url + "drip.json", timeout=1)
    assert answer == Answer(None, problem="1 秒内没有传完")


def test_fetch_gives_up_on_a_silent_server_within_the_timeout(web):
    web.routes["/silent.json"] = lambda handler: time.sleep(3)
    with timed(2.0):
        answer = fetch(web.url + "silent.json", timeout=1)
    assert answer.body is None and answer.problem


def test_fetch_refuses_an_answer_cut_short(web):
    """Content-Length says 100 bytes; the server closes after 2 (which happen to be JSON): not a whole file."""
    web.routes["/site.json"] = _raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}")
    answer = fetch(web.url + "site.json", timeout=2)
    assert answer.body is None and answer.problem


def test_fetch_reports_an_http_error(web):
    web.routes["/site.json"] = 500
    assert fetch(web.url + "site.json") == Answer(None, problem="服务器回答 HTTP 500")
    assert fetch(web.url + "missing.json") == Answer(None, problem="服务器回答 HTTP 404")


def test_fetch_reports_a_refused_connection():
    answer = fetch(f"http://127.0.0.1:{_closed_port()}/api/v1/site.json", timeout=2)
    assert answer.body is None and answer.problem.startswith("连接不上（"), answer


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/site.json", "data:,{}", "javascript:alert(1)",
                                 "//127.0.0.1/site.json"])
def test_fetch_refuses_other_schemes_without_any_io(url, monkeypatch):
    """Only http(s) is read: nothing is opened for anything else."""
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("an opener was made")
    monkeypatch.setattr(fetch_module, "_opener", never)
    assert fetch(url) == Answer(None, problem=f"不是 http(s) 网址：{url}")


def test_fetch_follows_no_redirect_to_a_file(web):
    """A redirect to file:// is an error, never the file; one to http is followed."""
    web.routes["/to-file"] = _redirect("file:///etc/passwd")
    web.routes["/to-web"] = _redirect("/site.json")
    web.routes["/site.json"] = b"{}"
    assert fetch(web.url + "to-file") == Answer(None, problem="服务器回答 HTTP 302")
    assert fetch(web.url + "to-web").body == b"{}"


@pytest.mark.parametrize("answer", [
    b"SSH-2.0-OpenSSH_9.2\r\n",                                                         # not HTTP at all
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",     # a broken chunk
], ids=["not-http", "broken-chunk"])
def test_fetch_never_raises_on_a_server_that_does_not_speak_http(web, answer):
    """Whatever a member's port answers, fetch() reports a problem instead of raising (the build goes on)."""
    web.routes["/site.json"] = _raw(answer)
    got = fetch(web.url + "site.json", timeout=2)
    assert got.body is None and got.problem.startswith("连接不上（"), got


def test_fetch_never_raises_on_an_address_http_cannot_send(web):
    """A member's manifest may name any address on its site, a space in it included."""
    got = fetch(web.url + "api/v1/cases .json", timeout=2)
    assert got.body is None and got.problem.startswith("连接不上（"), got
    assert web.requests == []


def test_in_parallel_keeps_the_order():
    def slow_square(n: int) -> int:
        time.sleep(0.01 * (5 - n))
        return n * n
    assert in_parallel(slow_square, range(5)) == [0, 1, 4, 9, 16]
    assert in_parallel(slow_square, []) == []


# --- Snapshots -----------------------------------------------------------------------------------------

def test_snapshots_round_trip_on_disk(tmp_path):
    """A kept copy is read back by the next build (a new Snapshots over the same folder)."""
    Snapshots(tmp_path / "network").keep("https://a.example/api/v1/site.json", b"{}", '"v1"', MODIFIED)
    later = Snapshots(tmp_path / "network")
    assert later.load("https://a.example/api/v1/site.json") == (b"{}", '"v1"', MODIFIED)
    assert later.load("https://a.example/api/v1/cases.json") is None
    assert Snapshots(tmp_path / "nowhere").load("https://a.example/api/v1/site.json") is None


@pytest.mark.parametrize("meta", [b"not json", b"[]", None], ids=["garbage", "not-an-object", "missing"])
def test_a_tampered_snapshot_is_none(tmp_path, meta):
    Snapshots(tmp_path).keep("https://a.example/site.json", b"{}", "", "")
    (found,) = tmp_path.glob("*.json")
    if meta is None:
        found.unlink()
    else:
        found.write_bytes(meta)
    assert Snapshots(tmp_path).load("https://a.example/site.json") is None


def test_a_snapshot_without_its_body_is_none(tmp_path):
    Snapshots(tmp_path).keep("https://a.example/site.json", b"{}", "", "")
    next(tmp_path.glob("*.body")).unlink()
    assert Snapshots(tmp_path).load("https://a.example/site.json") is None


def test_snapshots_in_memory_write_nothing(tmp_path, monkeypatch):
    """A build without a cache keeps its copies for itself only."""
    monkeypatch.chdir(tmp_path)
    memory = Snapshots(None)
    memory.keep("https://a.example/site.json", b"{}", '"v1"', "")
    assert memory.load("https://a.example/site.json") == (b"{}", '"v1"', "")
    assert Snapshots(None).load("https://a.example/site.json") is None
    assert list(tmp_path.iterdir()) == []


# --- origin() and same_origin() ------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "expected"), [
    ("https://zhouxin.example.org/cases/x/", "https://zhouxin.example.org"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
    ("HTTPS://ZhouXin.Example.ORG/", "https://zhouxin.example.org"),
    ("https://xn--fiqs8s.example/", "https://xn--fiqs8s.example"),
])
def test_origin_of_a_plain_host(url, expected):
    assert origin(url) == expected


@pytest.mark.parametrize("url", [
    "http://a.example;script-src */",        # would add a directive to the CSP
    "http://a.example *",
    "http://a.example'/",
    "http://a_b.example/",
    "http://-a.example/",
    "http://a.example./",
    "http://中国.example/",
    "http://[::1]:8000/",
    "http://a.example:99999/",
    "http://a.example:8o/",
    "ftp://a.example/",
    "javascript:alert(1)",
    "//a.example/",
    "http:///cases/",
    "http://user:secret@a.example/",         # no site publishes with user info: refused, not guessed
    "http://a.example@b.example/",
])
def test_origin_refuses_anything_a_csp_should_not_name(url):
    assert origin(url) is None


def test_origin_refuses_a_backslash_a_browser_reads_as_a_slash():
    """Browsers read http://a.example\\@b.example/ as host a.example; Python's urlsplit as b.example.
    A CSP naming b.example would allow the wrong site: no origin is the safe answer."""
    assert origin("http://a.example\\@b.example/") is None


@pytest.mark.parametrize(("url", "base", "expected"), [
    ("https://a.example/site/cases/x/", "https://a.example/site/", True),
    ("https://a.example/site/", "https://a.example/site/", True),
    ("https://a.example/cases/x/", "https://a.example", True),        # no path: the whole host
    ("https://a.example/other/cases/x/", "https://a.example/site/", False),
    ("https://a.example/site", "https://a.example/site/", False),
    ("http://a.example/site/x/", "https://a.example/site/", False),   # another scheme
    ("https://a.example:8443/site/x/", "https://a.example/site/", False),
    ("https://b.example/site/x/", "https://a.example/site/", False),
    ("https://u@a.example/site/x/", "https://a.example/site/", False),
])
def test_same_origin_is_scheme_host_port_and_a_path_prefix(url, base, expected):
    assert same_origin(url, base) is expected


@pytest.mark.parametrize("url", ["https://a.example/site/../other/cases/x/", "https://a.example/site/%2e%2e/other/cases/x/"])
def test_same_origin_sees_through_dot_segments(url):
    """A browser resolves /site/../other/ to /other/: that is not under /site/ (a site on the same
    host, e.g. GitHub Pages project sites, would otherwise vouch for its neighbour's cases)."""
    assert same_origin(url, "https://a.example/site/") is False


# --- members: JSON written through the published models -----------------------------------------------

def _dump(model: type, data: dict) -> bytes:
    return json.dumps(model.model_validate(data).model_dump(mode="json", by_alias=True), ensure_ascii=False).encode()


def _manifest(base: str, **changes: object) -> dict:
    return {"version": 1, "generator": "yipin 0.3.0", "name": "洲心街道一社区一品牌", "organisation": "洲心街道办事处",
            "region": {"province": "广东省", "city": "清远市", "district": "清城区", "street": "洲心街道"},
            "url": base, "updated": UPDATED,
            "counts": {"cases": 1, "communities": 1, "streets": 1, "districts": 1, "activities": 1},
            "links": {"cases": base + "api/v1/cases.json", "activities": base + "api/v1/activities.json",
                      "search": base + "pagefind/", "calendar": base + "calendar/all.ics", "feed": base + "feed.xml"},
            "inspirations": [], "members": [], **changes}


def _case(base: str, **changes: object) -> dict:
    return {"id": "zhouxin-lianjiang", "url": base + "cases/zhouxin-lianjiang/",
            "json": base + "api/v1/cases/zhouxin-lianjiang.json",
            "brand": {"name": "连江心", "slogan": "邻里守望"},
            "community": {"name": "连江社区", "kind": "urban", "kind_label": "城市社区"},
            "region": {"province": "广东省", "city": "清远市", "district": "清城区", "street": "洲心街道"},
            "summary": "长者饭堂和邻里互助", "themes": ["养老服务"], "groups": ["老年人"], "updated": "2024-04-20",
            "thumbnail": base + "cases/zhouxin-lianjiang/card.webp", **changes}


def _cases(*cases: dict) -> dict:
    return {"version": 1, "updated": UPDATED, "count": len(cases), "cases": list(cases)}


def _occurrence(base: str, **changes: object) -> dict:
    return {"case": "zhouxin-lianjiang", "title": "长者饭堂开放日", "start": "2024-05-10T09:00:00+08:00",
            "end": "2024-05-10T11:00:00+08:00", "all_day": False, "location": "连江社区服务中心",
            "status": "confirmed", "repeat": None, "tz": "Asia/Shanghai", "uid": "zhouxin-lianjiang-1@yipin",
            "brand": "连江心", "community": "连江社区", "url": base + "cases/zhouxin-lianjiang/",
            "ics": base + "calendar/zhouxin-lianjiang-1.ics", **changes}


def _activities(*occurrences: dict, reference: str = UPDATED) -> dict:
    return {"version": 1, "reference": reference, "window": {"from": "2024-02-01", "to": "2025-05-01"},
            "count": len(occurrences), "occurrences": list(occurrences)}


def _publish(web: Web, base: str, *, manifest: dict | None = None, cases: dict | None = None,
             activities: dict | None = None) -> None:
    """A member site at ``base`` (on ``web``): its manifest, case list and activities."""
    path = base[len(web.url) - 1:]
    web.routes[path + "api/v1/site.json"] = _dump(SiteManifest, manifest or _manifest(base))
    web.routes[path + "api/v1/cases.json"] = _dump(CasesResponse, cases or _cases(_case(base)))
    web.routes[path + "api/v1/activities.json"] = _dump(ActivitiesResponse, activities or _activities(_occurrence(base)))


def _read(url: str, snapshots: Snapshots) -> tuple[object, list[str]]:
    said: list[str] = []
    (member,) = read_members((MemberSource(url=url),), snapshots, said.append)
    return member, said


def test_a_good_member_is_read_whole(web):
    _publish(web, web.url)
    member, said = _read(web.url, Snapshots(None))
    assert said == [] and member.note == "" and member.current
    assert member.source == web.url and member.url == web.url and member.name == "洲心街道一社区一品牌"
    assert member.manifest == SiteManifest.model_validate(_manifest(web.url))
    assert member.cases == (CaseSummary.model_validate(_case(web.url)),)
    (occurrence,) = member.occurrences
    assert occurrence.series.member == "洲心街道一社区一品牌"
    assert occurrence.times == ("2024-05-10T09:00:00+08:00", "2024-05-10T11:00:00+08:00")
    assert [path for path, _ in web.requests] == ["/api/v1/site.json", "/api/v1/cases.json", "/api/v1/activities.json"]


def test_a_member_under_a_path(web):
    """A member published below the host's root is read there, its addresses under that path."""
    base = web.url + "zhouxin/"
    _publish(web, base)
    member, said = _read(base, Snapshots(None))
    assert said == [] and member.url == base and len(member.cases) == 1


def test_an_unchanged_member_is_asked_conditionally(web, tmp_path):
    """The second build sends each file's ETag back; 304s give the same member, fresh."""
    _publish(web, web.url)
    first, _ = _read(web.url, Snapshots(tmp_path))
    second, said = _read(web.url, Snapshots(tmp_path))
    assert said == [] and second.current
    assert (second.manifest, second.cases) == (first.manifest, first.cases)
    assert [o.times for o in second.occurrences] == [o.times for o in first.occurrences]
    conditional = [headers.get("If-None-Match", "") for _, headers in web.requests[3:]]
    assert len(conditional) == 3 and all(conditional)


def test_garbage_is_no_manifest(web):
    web.routes["/api/v1/site.json"] = b"<html>Welcome to nginx!</html>"
    member, said = _read(web.url, Snapshots(None))
    assert member.manifest is None and member.cases == () and not member.current
    assert said == [f"成员网站 {web.url} 读取失败（不是 Yipin 网站发布的网站清单），也没有以前的副本：这次不显示它"]
    assert member.name == web.url and member.url == web.url


def test_a_manifest_missing_a_field_says_which(web):
    data = _manifest(web.url)
    del data["links"]
    web.routes["/api/v1/site.json"] = json.dumps(data).encode()
    member, said = _read(web.url, Snapshots(None))
    assert said == [f"成员网站 {web.url} 读取失败（不是 Yipin 网站发布的网站清单（links）），也没有以前的副本：这次不显示它"]


def test_a_case_on_another_origin_makes_the_member_unusable(web):
    """Every address a portal links to must lie on the member's own site."""
    _publish(web, web.url, cases=_cases(_case(web.url, url="https://elsewhere.example/cases/x/")))
    member, said = _read(web.url, Snapshots(None))
    assert member.manifest is None
    assert said == [f"成员网站 {web.url} 读取失败（案例 zhouxin-lianjiang 的地址 https://elsewhere.example/cases/x/ "
                    "不在这个网站上），也没有以前的副本：这次不显示它"]


def test_a_case_on_a_neighbour_under_the_same_host_makes_the_member_unusable(web):
    """Members may share a host (project sites of one GitHub Pages account): /a/../b/ is b's, not a's."""
    base = web.url + "a/"
    neighbour = base + "../b/cases/x/"
    _publish(web, base, cases=_cases(_case(base, url=neighbour)))
    member, said = _read(base, Snapshots(None))
    assert member.manifest is None
    assert said == [f"成员网站 {base} 读取失败（案例 zhouxin-lianjiang 的地址 {neighbour} 不在这个网站上），"
                    "也没有以前的副本：这次不显示它"]


def test_a_thumbnail_that_is_not_http_makes_the_member_unusable(web):
    _publish(web, web.url, cases=_cases(_case(web.url, thumbnail="javascript:alert(1)")))
    member, said = _read(web.url, Snapshots(None))
    assert said == [f"成员网站 {web.url} 读取失败（案例 zhouxin-lianjiang 的地址 javascript:alert(1) "
                    "不在这个网站上），也没有以前的副本：这次不显示它"]


def test_a_link_off_the_site_is_never_fetched(web):
    other = Web()
    try:
        _publish(web, web.url, manifest=_manifest(web.url, links={**_manifest(web.url)["links"],
                                                                  "cases": other.url + "api/v1/cases.json"}))
        member, said = _read(web.url, Snapshots(None))
    finally:
        other.stop()
    assert other.requests == []
    assert said == [f"成员网站 {web.url} 读取失败（网站清单里的 cases 地址 {other.url}api/v1/cases.json "
                    "不在这个网站上），也没有以前的副本：这次不显示它"]


def test_a_manifest_naming_another_address(web):
    """A member is published where mkdocs.yml says, under its own path: not a neighbour's path on the host."""
    _publish(web, web.url, manifest=_manifest(web.url + "other/"))
    member, said = _read(web.url, Snapshots(None))
    assert said == [f"成员网站 {web.url} 读取失败（网站清单写的地址是 {web.url}other/，不是 {web.url}），"
                    "也没有以前的副本：这次不显示它"]


def test_a_manifest_without_an_absolute_address(web):
    _publish(web, web.url, manifest=_manifest(web.url, url="/"))
    member, said = _read(web.url, Snapshots(None))
    assert said == [f"成员网站 {web.url} 读取失败（它的网站清单没有写网站地址（成员网站的 mkdocs.yml 要写 site_url）），"
                    "也没有以前的副本：这次不显示它"]


def test_a_member_that_goes_down_shows_its_last_good_copy(web, tmp_path):
    _publish(web, web.url)
    good, _ = _read(web.url, Snapshots(tmp_path))
    web.routes["/api/v1/site.json"] = 500
    member, said = _read(web.url, Snapshots(tmp_path))
    assert said == [f"成员网站 {web.url} 读取失败（服务器回答 HTTP 500）：显示上次读到的内容（{UPDATED}）"]
    assert (member.manifest, member.cases) == (good.manifest, good.cases)
    assert [o.times for o in member.occurrences] == [o.times for o in good.occurrences]
    assert not member.current


def test_a_member_whose_server_is_gone_shows_its_copy_from_disk(tmp_path):
    """The copy outlives the build that read it: a new build over the same cache folder shows it."""
    server = Web()
    _publish(server, server.url)
    _read(server.url, Snapshots(tmp_path))
    server.stop()
    member, (line,) = _read(server.url, Snapshots(tmp_path))
    assert line.startswith(f"成员网站 {server.url} 读取失败（连接不上（"), line
    assert line.endswith(f"）：显示上次读到的内容（{UPDATED}）"), line
    assert member.manifest.name == "洲心街道一社区一品牌" and len(member.cases) == 1


def test_a_member_down_without_a_copy_is_not_shown(web):
    web.routes["/api/v1/site.json"] = 503
    member, said = _read(web.url, Snapshots(None))
    assert member.manifest is None and member.cases == () and member.occurrences == ()
    assert said == [f"成员网站 {web.url} 读取失败（服务器回答 HTTP 503），也没有以前的副本：这次不显示它"]


def test_a_half_changed_member_keeps_its_whole_old_copy(web, tmp_path):
    """A new manifest with a broken case list: the old manifest and cases, never the new manifest."""
    _publish(web, web.url)
    old, _ = _read(web.url, Snapshots(tmp_path))
    _publish(web, web.url, manifest=_manifest(web.url, name="新名字", updated="2024-06-01"))
    web.routes["/api/v1/cases.json"] = b'{"version": 1}'
    member, said = _read(web.url, Snapshots(tmp_path))
    assert said == [f"成员网站 {web.url} 读取失败（不是 Yipin 网站发布的案例列表（updated））：显示上次读到的内容（{UPDATED}）"]
    assert member.manifest == old.manifest and member.cases == old.cases
    web.routes["/api/v1/site.json"] = 500            # the new manifest was never kept either
    again, _ = _read(web.url, Snapshots(tmp_path))
    assert again.manifest == old.manifest


@pytest.mark.parametrize(("occurrence", "problem"), [
    ({"tz": "Mars/Olympus"}, "活动有误：时区“Mars/Olympus”不存在"),
    ({"all_day": True, "start": "2024-05-10", "end": "2024-05-09"}, "活动有误：活动“长者饭堂开放日”结束在开始之前"),
    ({"end": "2024-05-10T08:00:00+08:00"}, "活动有误：活动“长者饭堂开放日”的时间不对"),
    ({"start": "2024-05-10T09:00:00"}, "活动有误：活动“长者饭堂开放日”的时间不对"),
    ({"start": "下周二"}, "活动有误：Invalid isoformat string: '下周二'"),
], ids=["unknown-zone", "all-day-backwards", "timed-backwards", "naive", "not-a-time"])
def test_activities_with_a_wrong_time_make_the_member_unusable(web, occurrence, problem):
    _publish(web, web.url, activities=_activities(_occurrence(web.url, **occurrence)))
    member, said = _read(web.url, Snapshots(None))
    assert member.manifest is None
    assert said == [f"成员网站 {web.url} 读取失败（{problem}），也没有以前的副本：这次不显示它"]


@pytest.mark.parametrize("tz", ["America", "Asia/" + "x" * 300], ids=["a-folder", "too-long"])
def test_a_time_zone_the_system_cannot_open_makes_the_member_unusable(web, tz):
    """ZoneInfo raises OSError for a folder of zones or a name too long for a file: one line, no crash."""
    _publish(web, web.url, activities=_activities(_occurrence(web.url, tz=tz)))
    member, said = _read(web.url, Snapshots(None))
    assert member.manifest is None
    assert said == [f"成员网站 {web.url} 读取失败（活动有误：时区“{tz}”不存在），也没有以前的副本：这次不显示它"]


def test_a_link_http_cannot_send_makes_the_member_unusable(web):
    """A manifest may name an address with a space; the member is one line, the build goes on."""
    links = {**_manifest(web.url)["links"], "cases": web.url + "api/v1/cases .json"}
    _publish(web, web.url, manifest=_manifest(web.url, links=links))
    member, (line,) = _read(web.url, Snapshots(None))
    assert member.manifest is None
    assert line.startswith(f"成员网站 {web.url} 读取失败（") and line.endswith("，也没有以前的副本：这次不显示它"), line


def test_members_are_read_in_order_and_only_the_stale_are_said(web):
    good, bad = web.url + "good/", web.url + "bad/"
    _publish(web, good)
    said: list[str] = []
    members = read_members((MemberSource(url=bad), MemberSource(url=good)), Snapshots(None), said.append)
    assert [m.source for m in members] == [bad, good]
    assert [m.current for m in members] == [False, True]
    assert said == [f"成员网站 {bad} 读取失败（服务器回答 HTTP 404），也没有以前的副本：这次不显示它"]


def _write_site(folder: Path, url: str, **files: dict) -> None:
    for name, model, default in (("site", SiteManifest, _manifest(url)), ("cases", CasesResponse, _cases(_case(url))),
                                 ("activities", ActivitiesResponse, _activities(_occurrence(url)))):
        target = folder / "api/v1" / f"{name}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_dump(model, files.get(name, default)))


def test_a_folder_member_is_read_from_disk(tmp_path):
    """A CI artifact: mkdocs.yml says where it is published, and so does its manifest; its files
    are read from the folder, whose path is shown nowhere."""
    url = "https://zhouxin.example.org/"
    _write_site(tmp_path / "zhouxin", url)
    said: list[str] = []
    (member,) = read_members((MemberSource(url=url, path=tmp_path / "zhouxin"),), Snapshots(None), said.append)
    assert said == [] and member.current
    assert member.source == url and member.url == url
    assert member.cases == (CaseSummary.model_validate(_case(url)),)


def test_a_folder_member_reads_nothing_outside_its_folder(tmp_path):
    """A link ../ out of the folder is refused, even to a good case list."""
    url = "https://zhouxin.example.org/"
    links = {**_manifest(url)["links"], "cases": url + "../secret/cases.json"}
    _write_site(tmp_path / "zhouxin", url, site=_manifest(url, links=links))
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret/cases.json").write_bytes(_dump(CasesResponse, _cases(_case(url))))
    said: list[str] = []
    (member,) = read_members((MemberSource(url=url, path=tmp_path / "zhouxin"),), Snapshots(None), said.append)
    assert member.manifest is None
    assert said == [f"成员网站 {url} 读取失败（网站清单里的 cases 地址 {url}../secret/cases.json "
                    "不在这个网站上），也没有以前的副本：这次不显示它"]


def test_a_folder_member_must_say_the_configured_address(tmp_path):
    _write_site(tmp_path / "zhouxin", "https://zhouxin.example.org/")
    said: list[str] = []
    source = MemberSource(url="https://liujiabao.example.org/", path=tmp_path / "zhouxin")
    (member,) = read_members((source,), Snapshots(None), said.append)
    assert member.manifest is None
    assert said == ["成员网站 https://liujiabao.example.org/ 读取失败（网站清单写的地址是 https://zhouxin.example.org/，"
                    "不是 https://liujiabao.example.org/），也没有以前的副本：这次不显示它"]


def test_a_folder_member_missing_a_file(tmp_path):
    (tmp_path / "empty").mkdir()
    said: list[str] = []
    read_members((MemberSource(url="https://a.example/", path=tmp_path / "empty"),), Snapshots(None), said.append)
    missing = (tmp_path / "empty/api/v1/site.json").resolve()
    assert said == [f"成员网站 https://a.example/ 读取失败（读不到 {missing}（No such file or directory）），"
                    "也没有以前的副本：这次不显示它"]


# --- vouched() -----------------------------------------------------------------------------------------

def _inspiration(case: str, inspired_by: str = "https://origin.example/cases/first/") -> Inspiration:
    return Inspiration(case=case, brand="连江心", community="连江社区", inspired_by=inspired_by)


def test_a_manifest_vouches_for_its_own_and_its_members_cases_only():
    """A site cannot claim that another site's case copied anything."""
    kept = [_inspiration("https://portal.example/city/cases/a/"),
            _inspiration("https://member.example/cases/b/")]
    dropped = [_inspiration("https://other.example/cases/c/"),
               _inspiration("https://portal.example/elsewhere/cases/d/"),      # same host, not under the site
               _inspiration("http://portal.example/city/cases/e/"),            # another scheme
               _inspiration("ftp://portal.example/city/cases/f/"),
               _inspiration("https://portal.example/city/cases/g/", "javascript:alert(1)"),
               _inspiration("https://portal.example/city/cases/h/", "/cases/h/")]
    manifest = SiteManifest.model_validate(_manifest("https://portal.example/city/", members=["https://member.example/"],
                                                     inspirations=[i.model_dump() for i in kept + dropped]))
    assert vouched(manifest) == kept


def test_a_site_without_an_address_vouches_for_nothing():
    """A manifest of a site without site_url says url "/": it speaks for no web address."""
    manifest = SiteManifest.model_validate(_manifest("/", members=["/member/"], inspirations=[
        _inspiration("/cases/a/").model_dump(), _inspiration("https://a.example/cases/b/").model_dump()]))
    assert vouched(manifest) == []


def test_a_peer_manifest_and_its_last_good_copy(web, tmp_path):
    """A site in network: is only its manifest; when it fails, its last inspirations stand."""
    url = web.url + "api/v1/site.json"
    _publish(web, web.url)
    said: list[str] = []
    assert read_manifest(url, Snapshots(tmp_path), said.append) == SiteManifest.model_validate(_manifest(web.url))
    web.routes["/api/v1/site.json"] = 500
    assert read_manifest(url, Snapshots(tmp_path), said.append).url == web.url
    assert read_manifest(url, Snapshots(None), said.append) is None
    assert said == [f"网站 {url} 读取失败（服务器回答 HTTP 500）：用上次读到的借鉴关系",
                    f"网站 {url} 读取失败（服务器回答 HTTP 500）：这次没有它的借鉴关系"]


def test_read_network_gathers_what_members_and_peers_vouch_for(web, tmp_path):
    member, peer, gone = web.url + "member/", web.url + "peer/", web.url + "gone/"
    own = _inspiration(member + "cases/b/", "https://origin.example/cases/a/")
    claimed = _inspiration("https://victim.example/cases/c/", "https://origin.example/cases/a/")
    told = _inspiration(peer + "cases/d/", "https://origin.example/cases/a/")
    _publish(web, member, manifest=_manifest(member, inspirations=[own.model_dump(), claimed.model_dump()]))
    _publish(web, peer, manifest=_manifest(peer, inspirations=[told.model_dump()]))
    settings = Settings(content=tmp_path / "content", build_cache=tmp_path / "cache/build",
                        members=(MemberSource(url=member),), network=(peer, gone))
    said: list[str] = []
    network = read_network(settings, said.append)
    assert [m.url for m in network.members] == [member] and [p.url for p in network.peers] == [peer]
    assert network.members_inspirations() == [own] and network.peer_inspirations() == [told]
    assert said == [f"网站 {gone}api/v1/site.json 读取失败（服务器回答 HTTP 404）：这次没有它的借鉴关系"]
    assert (tmp_path / "cache/network").is_dir()
    assert read_network(Settings(content=tmp_path / "content"), said.append) == Network()


# --- Copies --------------------------------------------------------------------------------------------

HOME = "https://street.example/"
FIRST, SECOND = HOME + "cases/first/", HOME + "cases/second/"


def test_copies_drop_duplicates_and_self_inspirations():
    a = _inspiration("https://b.example/cases/a/", FIRST)
    copies = Copies.of([a, a, _inspiration(FIRST, FIRST), _inspiration("https://a.example/cases/z/", FIRST)], {}, HOME)
    assert [(i.case, i.inspired_by) for i in copies.inspirations] == [
        ("https://a.example/cases/z/", FIRST), ("https://b.example/cases/a/", FIRST)]


def test_copied_by_and_learnt_from():
    copies = Copies.of([_inspiration("https://b.example/cases/a/", FIRST), _inspiration(SECOND, FIRST)],
                       {FIRST: "连江心 · 连江社区"}, HOME)
    assert [i.case for i in copies.copied_by(FIRST)] == ["https://b.example/cases/a/", SECOND]
    assert copies.copied_by(SECOND) == ()
    assert copies.learnt_from(SECOND) == Origin(FIRST, "连江心 · 连江社区")
    assert copies.learnt_from(FIRST) is None


def test_an_unknown_origin_is_named_by_its_host():
    copies = Copies.of([_inspiration(SECOND, "https://Far.Example:8443/cases/x/")], {}, HOME)
    assert copies.learnt_from(SECOND) == Origin("https://Far.Example:8443/cases/x/", "far.example 的一个案例")


def test_most_copied_by_count_then_address():
    inspirations = [_inspiration(f"https://{host}.example/cases/x/", origin_)
                    for origin_, hosts in ((SECOND, "abc"), (FIRST, "de"), ("https://z.example/cases/y/", "f"),
                                           ("https://a.example/cases/y/", "g"))
                    for host in hosts]
    copies = Copies.of(inspirations, {}, HOME)
    ranked = [(found.url, len(cases)) for found, cases in copies.most_copied()]
    assert ranked == [(SECOND, 3), (FIRST, 2), ("https://a.example/cases/y/", 1), ("https://z.example/cases/y/", 1)]
    assert [found.url for found, _ in copies.most_copied(limit=2)] == [SECOND, FIRST]


def test_link_is_relative_for_own_cases_only():
    copies = Copies.of([], {}, HOME)
    assert copies.link(FIRST) == "cases/first/"
    assert copies.link("https://b.example/cases/a/") == "https://b.example/cases/a/"
    assert copies.link("https://street.example.evil/cases/a/") == "https://street.example.evil/cases/a/"
    assert Copies.of([], {}).link("/cases/first/") == "cases/first/"


# --- config: members, network, region -----------------------------------------------------------------

def _settings(tmp_path: Path, **options: object):
    return settings_from_options(tmp_path, options, site_url="", site_name="门户", docs_dir=tmp_path / "docs",
                                 custom_dir=None, config=Path("mkdocs.yml"))


def test_members_and_network_addresses_end_in_a_slash(tmp_path):
    settings = _settings(tmp_path, members=[{"url": " https://zhouxin.example.org/site "},
                                            {"url": "https://a.example/", "path": "built/a"}],
                         network=["https://liujiabao.example.org"])
    assert settings.members == (MemberSource(url="https://zhouxin.example.org/site/"),
                                MemberSource(url="https://a.example/", path=tmp_path / "built/a"))
    assert settings.network == ("https://liujiabao.example.org/",)


def test_a_member_address_that_is_not_http(tmp_path):
    with pytest.raises(YipinError) as error:
        _settings(tmp_path, members=[{"url": "ftp://x"}])
    assert str(error.value) == "mkdocs.yml: plugins.yipin.members[1]: “ftp://x”不是网址：应以 http:// 或 https:// 开头"
    with pytest.raises(YipinError) as error:
        _settings(tmp_path, network=["zhouxin.example.org"])
    assert str(error.value) == ("mkdocs.yml: plugins.yipin.network[1]: “zhouxin.example.org”不是网址："
                                "应以 http:// 或 https:// 开头")


@pytest.mark.parametrize(("entry", "shown"), [({"url": "https://a.example/", "name": "洲心"},
                                               "{name: 洲心, url: 'https://a.example/'}"),
                                              ({}, "{}"), ("https://a.example/", "https://a.example/")])
def test_a_member_entry_of_another_shape(tmp_path, entry, shown):
    with pytest.raises(YipinError) as error:
        _settings(tmp_path, members=[entry])
    assert str(error.value) == ("mkdocs.yml: plugins.yipin.members[1]: 每一项写 url:（成员网站的网址）或 path:"
                                f"（生成好的成员网站文件夹），现在是“{shown}”")


def test_region_keeps_the_levels_written_in_order(tmp_path):
    settings = _settings(tmp_path, region={"city": "清远市", "province": "广东省", "street": ""})
    assert list(settings.region.items()) == [("province", "广东省"), ("city", "清远市")]


@pytest.mark.parametrize("region", [{"province": "广东省", "county": "清城区"}, ["广东省"]])
def test_region_with_an_unknown_level(tmp_path, region):
    with pytest.raises(YipinError) as error:
        _settings(tmp_path, region=region)
    assert str(error.value) in ("mkdocs.yml: plugins.yipin.region: 只能写 province、city、district、street，如 province: 广东省",
                                "mkdocs.yml: plugins.yipin.region: 应写成下一级的“选项: 值”，现在是“[广东省]”")


# --- calendar/remote.py --------------------------------------------------------------------------------

URL = "https://zhouxin.example.org/"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _remote(*occurrences: dict, reference: str = UPDATED):
    return remote_occurrences("洲心", URL, ActivitiesResponse.model_validate(_activities(*occurrences, reference=reference)))


def test_an_all_day_occurrence_ends_the_day_after_its_last():
    (one, single) = _remote(_occurrence(URL, all_day=True, start="2024-05-10", end="2024-05-12"),
                            _occurrence(URL, all_day=True, start="2024-06-01", end=None, uid="other@yipin"))
    assert (one.start, one.end) == (datetime(2024, 5, 10, tzinfo=SHANGHAI), datetime(2024, 5, 13, tzinfo=SHANGHAI))
    assert one.last_day == date(2024, 5, 12) and one.times == ("2024-05-10", "2024-05-12")
    assert single.end == datetime(2024, 6, 2, tzinfo=SHANGHAI) and single.times == ("2024-06-01", "2024-06-01")


def test_a_timed_occurrence_is_shown_in_its_zone():
    (one, open_ended) = _remote(_occurrence(URL, start="2024-05-10T01:00:00+00:00", end="2024-05-10T17:30:00Z"),
                                _occurrence(URL, start="2024-05-11T09:00:00+08:00", end=None))
    assert one.times == ("2024-05-10T09:00:00+08:00", "2024-05-11T01:30:00+08:00")
    assert one.start.tzinfo is SHANGHAI and one.last_day == date(2024, 5, 11)
    assert open_ended.times == ("2024-05-11T09:00:00+08:00", None) and open_ended.last_day == date(2024, 5, 11)


def test_occurrences_of_one_uid_share_one_series():
    first, second, other = _remote(_occurrence(URL), _occurrence(URL, start="2024-05-17T09:00:00+08:00", end=None),
                                   _occurrence(URL, uid="other@yipin", title="义剪", status="cancelled", location=None),
                                   reference="2024-04-30")
    assert first.series is second.series and other.series is not first.series
    assert first.series.stamp == date(2024, 4, 30) and first.series.member == "洲心"
    assert other.series.page_fields == {
        "title": "义剪", "all_day": False, "location": None, "status": "cancelled", "brand": "连江心",
        "community": "连江社区", "url": URL + "cases/zhouxin-lianjiang/", "ics": URL + "calendar/zhouxin-lianjiang-1.ics"}


@pytest.mark.parametrize(("occurrence", "message"), [
    ({"tz": "Mars/Olympus"}, "时区“Mars/Olympus”不存在"),
    ({"tz": "../../etc/passwd"}, "时区“../../etc/passwd”不存在"),
    ({"tz": ""}, "时区“”不存在"),
    ({"tz": "America"}, "时区“America”不存在"),                 # a folder of zones: IsADirectoryError
    ({"tz": "Asia/" + "x" * 300}, "时区“Asia/" + "x" * 300 + "”不存在"),  # too long for a file name: OSError
    ({"end": "2024-05-10T11:00:00"}, "活动“长者饭堂开放日”的时间不对"),
], ids=["unknown", "traversal", "empty", "a-folder", "too-long", "naive-end"])
def test_a_wrong_zone_or_time_is_a_value_error(occurrence, message):
    with pytest.raises(ValueError) as error:
        _remote(_occurrence(URL, **occurrence))
    assert str(error.value) == message


def test_a_wrong_reference_date_is_a_value_error():
    with pytest.raises(ValueError):
        _remote(_occurrence(URL), reference="五月")
