"""The built site, from the fixture content plus overlays: safety, atomicity, determinism."""

from __future__ import annotations

import json
import shutil

import pytest
from bs4 import BeautifulSoup
from mkdocs.exceptions import Abort

from yipin.commands.main import main
from yipin.content.reader import read_document

from .conftest import BAD_INPUTS, REPO, build, make_content, site_config, tree_digest

XSS_CASE = """\
# yaml-language-server: $schema=../../../../schema/case.schema.json
brand:
  name: <script>alert("name")</script>品牌
  slogan: <img src=x onerror=alert(1)>
community:
  name: 社区<b onmouseover=alert(1)>x</b>
  kind: urban
  region: {province: 广东省, city: 清远市, district: 清城区, street: 样例街道}
summary: 这个案例的简介里藏着脚本<script>alert('summary')</script>，用来确认它在页面和数据里都不会执行。
themes: [社区营造]
story:
  background: 背景。
  practices:
    - title: 做法<svg onload=alert(4)>
      body: '**加粗**'
replication:
  fit: [<script>alert(6)</script>]
  steps: [第一步]
  contact: {org: 居委会}
sources:
  - {title: 报道, publisher: 日报, url: "https://example.org/a"}
"""


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("xss")
    content = make_content(tmp)
    (content / "cases" / "xss.yaml").write_text(XSS_CASE, encoding="utf-8")
    return build(site_config(tmp, content))


def scripts_and_handlers(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = [s.get_text() for s in soup.find_all("script") if "alert" in s.get_text()]
    for tag in soup.find_all(True):
        found += [f"{tag.name}[{a}]" for a in tag.attrs if a.startswith("on")]
        found += [f"{tag.name}[{a}]" for a, v in tag.attrs.items() if isinstance(v, str) and v.startswith("javascript:")]
    found += [t.name for t in soup.find_all(["iframe", "svg"]) if "evil" in str(t) or "onload" in str(t)]
    return found


def test_xss_payloads_are_inert_in_the_page(xss_site):
    html = (xss_site / "cases" / "xss" / "index.html").read_text(encoding="utf-8")
    assert scripts_and_handlers(html) == []
    soup = BeautifulSoup(html, "html.parser")
    assert '<script>alert("name")</script>品牌' in soup.find("h1").get_text()  # shown as text, not run
    assert soup.select_one(".yp-prose strong").get_text() == "加粗"  # Markdown still works


def test_xss_payloads_are_inert_in_the_json(xss_site):
    data = json.loads((xss_site / "api" / "v1" / "cases" / "xss.json").read_text(encoding="utf-8"))
    assert data["record"]["brand"]["name"] == '<script>alert("name")</script>品牌'  # text, as typed


def test_xss_payloads_are_inert_on_every_page_listing_the_case(xss_site):
    for page in ["index.html", "cases/index.html", "streets/qingcheng-yangli/index.html", "districts/qingcheng/index.html"]:
        assert scripts_and_handlers((xss_site / page).read_text(encoding="utf-8")) == [], page


def test_failed_build_leaves_the_previous_site_byte_identical(tmp_path):
    content = make_content(tmp_path)
    config = site_config(tmp_path, content)
    site = build(config)
    before = tree_digest(site)
    shutil.copytree(BAD_INPUTS / "unknown-key", content, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.txt"))
    with pytest.raises(Abort):
        build(config)
    assert tree_digest(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []  # no staging left behind


def test_a_warning_in_strict_mode_also_leaves_the_previous_site(tmp_path):
    content = make_content(tmp_path)
    config = site_config(tmp_path, content)
    site = build(config)
    before = tree_digest(site)
    docs = tmp_path / "docs"
    shutil.copytree(REPO / "docs", docs)
    (docs / "guide" / "index.md").write_text("[坏链接](nowhere.md)\n", encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8").replace(f"docs_dir: {REPO / 'docs'}", f"docs_dir: {docs}"),
                      encoding="utf-8")
    with pytest.raises(Abort):
        build(config)
    assert tree_digest(site) == before


def test_two_builds_are_byte_identical(tmp_path):
    content = make_content(tmp_path)
    first = tree_digest(build(site_config(tmp_path, content)))
    second = tree_digest(build(site_config(tmp_path, content)))
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


def test_export_writes_markdown_pages_and_data_without_mkdocs(in_tmp, capsys):
    content = make_content(in_tmp)
    config = site_config(in_tmp, content)
    assert main(["export", "-f", str(config), "out"]) == 0
    page = (in_tmp / "out" / "cases" / "base" / "index.md").read_text(encoding="utf-8")
    assert page.startswith('---\ntitle: "样例品牌 · 样例社区"\n')
    assert "## 可复制要点" in page
    assert json.loads((in_tmp / "out" / "api" / "v1" / "cases.json").read_text(encoding="utf-8"))["count"] == 1


def test_starter_yaml_is_a_valid_draft_for_another_street(tmp_path, in_tmp, capsys):
    content = make_content(tmp_path / "a")
    site = build(site_config(tmp_path / "a", content))
    starter = (site / "cases" / "base" / "starter.yaml").read_text(encoding="utf-8")
    assert starter.startswith("# yaml-language-server: $schema=")
    other = make_content(in_tmp)
    (other / "cases" / "our-brand.yaml").write_text(starter, encoding="utf-8")
    assert main(["check", "--content", "content"]) == 0, capsys.readouterr().out
    doc, _ = read_document(other / "cases" / "our-brand.yaml")
    assert doc.data["status"] == "draft"
    assert doc.data["community"]["region"]["street"] == "（待填写）"
    assert [p["title"] for p in doc.data["story"]["practices"]] == ["第一项做法"]
    assert "样例社区居委会" not in starter  # the original contact is blanked


def test_site_settings_reach_the_footer(tmp_path):
    content = make_content(tmp_path)
    site = build(site_config(tmp_path, content, organisation="洲心街道办事处", icp="粤ICP备12345678号-1",
                             police="粤公网安备44180202000123号"))
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    footer = soup.select_one(".yp-footer")
    assert "主办：洲心街道办事处" in footer.get_text()
    assert footer.find("a", string="粤ICP备12345678号-1")["href"] == "https://beian.miit.gov.cn/"
    assert footer.find("a", string="粤公网安备44180202000123号")["href"].endswith("code=44180202000123")


def test_an_unknown_featured_case_is_a_clear_error(tmp_path):
    content = make_content(tmp_path)
    with pytest.raises(Abort):
        build(site_config(tmp_path, content, featured=["no-such-case"]))
