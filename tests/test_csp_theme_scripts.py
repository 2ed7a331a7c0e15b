"""The CSP approves only the scripts the theme's templates contain, and every value of
mkdocs.yml reaches pages as text (issue 27): a site built with markup and scripts in its
site_name, site_description, copyright, organisation, contact and filing numbers shows them
as text, runs none of them in Chromium, and its policy hashes no script the theme did not
write; a site_url or repo_url that is not a plain address is refused with one line."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from yipin.config import page_address
from yipin.errors import YipinError
from yipin.render.csp import KnownScripts, _pattern, known_scripts, with_policy

from .browser import browser, serve
from .conftest import FIXTURE_CONTENT, build, site_config
from .test_csp import RECORD, policy_of

SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE = {
    "site_name": f"恶意{SCRIPT}站名",
    "site_description": f'"><img src=x onerror="window.__pwned=1">{SCRIPT}',
    "copyright": f'<a href="javascript:window.__pwned=1">版权</a>{SCRIPT}',
    "organisation": f"主办<img src=x onerror=window.__pwned=1>{SCRIPT}",
    "contact": '<a href="javascript:window.__pwned=1">电话</a>',
    "icp": f'<a href="javascript:window.__pwned=1">粤ICP备</a>{SCRIPT}',
    "police": f"粤公网安备44180202000000号{SCRIPT}",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile-config")
    shutil.copytree(FIXTURE_CONTENT, root / "content")
    plugin = {key: HOSTILE[key] for key in ("organisation", "contact", "icp", "police")}
    config = site_config(root, root / "content", site_name=HOSTILE["site_name"], **plugin)
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"^site_description: .*$", "site_description: " + _quoted(HOSTILE["site_description"]), text,
                  flags=re.MULTILINE)
    config.write_text(text + "\ncopyright: " + _quoted(HOSTILE["copyright"]) + "\n", encoding="utf-8")
    return build(config)


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _hashes(policy: str) -> set[str]:
    return set(re.findall(r"'sha256-[^']+'", policy))


def _hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def test_the_values_are_text_on_the_page(hostile_site):
    page = BeautifulSoup((hostile_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.title.get_text().endswith(HOSTILE["site_name"])
    assert page.select_one(".md-header__topic .md-ellipsis").get_text().strip() == HOSTILE["site_name"]
    missing = BeautifulSoup((hostile_site / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert missing.find("meta", attrs={"name": "description"})["content"] == HOSTILE["site_description"]
    assert page.find("meta", property="og:site_name")["content"] == HOSTILE["site_name"]
    footer = page.select_one(".yp-footer")
    assert footer.select_one(".yp-footer__org").get_text() == f"主办：{HOSTILE['organisation']} · 联系：{HOSTILE['contact']}"
    assert footer.select_one(".md-copyright__highlight").get_text().strip() == HOSTILE["copyright"]
    icp, police = footer.select(".yp-footer__filing a")
    assert (icp.get_text(), icp["href"]) == (HOSTILE["icp"], "https://beian.miit.gov.cn/")
    assert police.get_text() == HOSTILE["police"]
    # No element, attribute or script came out of a value: the footer's only links are the theme's.
    assert [a["href"] for a in footer.find_all("a")] == ["https://beian.miit.gov.cn/", police["href"]]
    assert not page.find(["img"], src="x") and not page.find(attrs={"onerror": True})
    assert all("__pwned" not in (script.string or "") for script in page.find_all("script"))


def test_the_policy_hashes_only_the_theme_scripts(hostile_site):
    """Every hash in every page's policy is of an inline script some template contains;
    the hostile script, were it on the page, would not be among them."""
    for path in ("index.html", "cases/index.html", "404.html"):
        html = (hostile_site / path).read_text(encoding="utf-8")
        page = BeautifulSoup(html, "html.parser")
        inline = {_hash(s.string or "") for s in page.find_all("script")
                  if not s.get("src") and s.get("type", "") in ("", "module")}
        hashes = _hashes(policy_of(html))
        assert hashes and hashes <= inline, path
        assert _hash("window.__pwned=1") not in hashes


def test_nothing_from_the_values_runs_in_chromium(hostile_site):
    with serve(hostile_site) as base, browser() as chromium:
        context = chromium.new_context()
        context.add_init_script(RECORD)
        page = context.new_page()
        for path in ("", "cases/", "404.html"):
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.__pwned") is None, path
            assert page.evaluate("window.__csp") == [], path   # the theme's own scripts all ran by hash
            assert page.evaluate("document.documentElement.hasAttribute('data-yp-js')"), path
        context.close()


def test_a_script_is_known_only_as_the_template_wrote_it(tmp_path):
    (tmp_path / "main.html").write_text(
        '<script>document.body.dataset.x="1"</script>\n'
        '<script>import("{{ \'a.js\' | url }}").then(() => {})</script>\n'
        '<script>{{- config.extra.x -}} ;go()</script>\n'
        '<script>{% if x %}run(){% endif %}</script>\n'
        '<script type="application/json">{"a": 1}</script>', encoding="utf-8")
    known = known_scripts((str(tmp_path),))
    assert 'document.body.dataset.x="1"' in known
    assert 'import("../../a.js").then(() => {})' in known and 'import("a.js").then(() => {})' in known
    assert '/x.js;go()' in known
    for body in ('import("//evil.example/x.js").then(() => {})', 'import("a.js"+alert(1)+"").then(() => {})',
                 'document.body.dataset.x="2"', "run()", '{"a": 1}', "window.__pwned=1", ""):
        assert body not in known, body


def test_with_policy_hashes_no_script_without_the_theme(tmp_path):
    page = "<html><head><meta charset=utf-8></head><body><script>alert(1)</script></body></html>"
    assert _hashes(policy_of(with_policy(page))) == set()
    assert _hashes(policy_of(with_policy(page, known=KnownScripts([_pattern("alert(1)")])))) == {_hash("alert(1)")}


@pytest.mark.parametrize("url", ['https://x/"><script>alert(1)</script>/', "https://x/ a/", "javascript:alert(1)",
                                 "https://x\\@y/", "https://x/'onmouseover='alert(1)"])
def test_an_address_pages_print_must_be_plain(url):
    with pytest.raises(YipinError) as error:
        page_address(url)
    assert str(error.value) == ("mkdocs.yml 的 site_url 不是可用的网址：应以 http:// 或 https:// 开头，"
                                "只写网址里的字符（不能有引号、空格、尖括号、反斜杠）")
    assert page_address("https://example.gov.cn:8443/zhouxin/~a%20b/") == "https://example.gov.cn:8443/zhouxin/~a%20b/"


def test_a_build_with_a_hostile_site_url_is_refused_in_one_line(tmp_path, caplog):
    """It fired on every page: MkDocs accepts any address with a scheme and a host."""
    from mkdocs.exceptions import Abort
    config = site_config(tmp_path, FIXTURE_CONTENT, site_url='https://x/"><script>alert(1)</script>/')
    with pytest.raises(Abort):
        build(config)
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [
        "mkdocs.yml 的 site_url 不是可用的网址：应以 http:// 或 https:// 开头，只写网址里的字符（不能有引号、空格、尖括号、反斜杠）"]
    assert not (tmp_path / "site").exists()
