"""/admin/ in Debian's Chromium: Sveltia CMS loads from the site's own files, in Chinese,
and what staff save through it passes `yipin check`.

Sveltia's test backend keeps the repository in the browser's private file system (OPFS):
the tests put the repository's content there, edit through the real interface, and read
the files it writes back. Screenshots for the editor guide are taken here; with
YIPIN_GUIDE_SCREENSHOTS=1 they are also written, small, to docs/guide/images/.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image

from yipin.content.reader import read_document
from yipin.content.validate import validate_content

from .browser import browser, serve
from .conftest import REPO
from .test_csp import RECORD as RECORD_CSP

ARTIFACTS = REPO / "test-artifacts" / "screenshots" / "guide"
GUIDE_IMAGES = REPO / "docs" / "guide" / "images"
BACKEND_HOSTS = {"https://www.githubstatus.com/"}   # the GitHub backend asks GitHub's own status page

PUT_FILES = """async (files) => {
  const top = await (await navigator.storage.getDirectory()).getDirectoryHandle('sveltia-cms-test', {create: true});
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split('/'); let dir = top;
    for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, {create: true});
    const writable = await (await dir.getFileHandle(parts.at(-1), {create: true})).createWritable();
    await writable.write(text); await writable.close();
  }
}"""
GET_FILE = """async (path) => {
  let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('sveltia-cms-test');
  const parts = path.split('/');
  for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part);
  return await (await (await dir.getFileHandle(parts.at(-1))).getFile()).text();
}"""


def shoot(page, name: str) -> None:
    """A screenshot for the guide: 256 colours keep a page of UI text small and sharp."""
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB").quantize(256)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    targets = [ARTIFACTS / name] + ([GUIDE_IMAGES / name] if os.environ.get("YIPIN_GUIDE_SCREENSHOTS") else [])
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        image.save(target, optimize=True)


@pytest.fixture(scope="module")
def chromium():
    with browser() as instance:
        yield instance


@pytest.fixture
def cms(chromium, sample_site):
    """A page on the built site whose /admin/ uses Sveltia's test backend, with the
    repository's content/ in it; yields (page, base URL)."""
    config = yaml.safe_load((sample_site / "admin" / "config.yml").read_text(encoding="utf-8"))
    config["backend"] = {"name": "test-repo"}
    files = {p.relative_to(REPO).as_posix(): p.read_text(encoding="utf-8") for p in sorted((REPO / "content").rglob("*.yaml"))}
    with serve(sample_site) as base:
        context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.add_init_script(RECORD_CSP)
        page = context.new_page()

        def route(request_route):
            url = request_route.request.url
            if url.startswith(base + "admin/config.yml"):
                return request_route.fulfill(content_type="application/yaml", body=yaml.safe_dump(config, allow_unicode=True))
            return request_route.continue_() if url.startswith(base) else request_route.abort()

        page.route("**/*", route)
        page.goto(base + "robots.txt")
        page.evaluate(PUT_FILES, files)
        page.goto(base + "admin/")
        page.get_by_role("button", name="使用测试仓库").click()
        page.get_by_text("集合").first.wait_for()
        page.goto(base + "admin/#/collections/cases")
        page.get_by_role("button", name="创建新条目").wait_for()
        yield page, base
        assert page.evaluate("window.__csp") == [], "the editor broke its own Content-Security-Policy"
        context.close()


def field(page, key_path: str):
    return page.locator(f'section.field[data-key-path="{key_path}"]')


def saved(page, path: str, expected: str) -> str:
    """The file as the CMS wrote it, once it holds ``expected``."""
    for _ in range(100):
        text = page.evaluate(f"({GET_FILE})(%r).catch(() => '')" % path)
        if expected in text:
            return text
        page.wait_for_timeout(100)
    raise AssertionError(f"the CMS did not save {path}")


def content_with(tmp_path: Path, path: str, text: str) -> Path:
    """A copy of the repository's content/ with one file as the CMS wrote it."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    (tmp_path / path).write_text(text, encoding="utf-8")
    return content


def test_the_cms_is_in_chinese_and_loads_only_the_sites_own_files(chromium, sample_site):
    outside: list[str] = []
    with serve(sample_site) as base:
        page = chromium.new_page(locale="zh-CN", viewport={"width": 1280, "height": 800})

        def route(request_route):
            url = request_route.request.url
            if url.startswith(base):
                return request_route.continue_()
            outside.append(url)
            return request_route.abort()

        page.route("**/*", route)
        page.goto(base + "admin/")
        page.get_by_role("button", name=re.compile("使用.*GitHub.*登录")).wait_for()
        assert page.get_by_role("button", name="使用访问令牌登录").is_visible()
        assert page.title() == "一品 · 社区治理品牌库 · 网页编辑"
        # the icon font is the site's copy: icons render as glyphs, not as their names
        assert page.evaluate("document.fonts.check('24px \"Material Symbols Outlined\"', 'add')")
        shoot(page, "cms-login.png")
        page.close()
    assert {re.match(r"https?://[^/]+/", url)[0] for url in outside} <= BACKEND_HOSTS


def test_staff_create_a_case_that_passes_check(cms, tmp_path):
    page, _ = cms
    page.get_by_role("button", name="创建新条目").click()
    page.set_viewport_size({"width": 1280, "height": 9000})   # Sveltia renders only the fields in view
    field(page, "status").locator('button[value="draft"]').click()
    field(page, "brand.name").locator("input").fill("江湾公园共建计划")
    field(page, "community.name").locator("input").fill("江湾社区")
    field(page, "community.kind").locator('button[value="urban"]').click()
    for key, value in [("province", "广东省"), ("city", "清远市"), ("district", "清城区"), ("street", "洲心街道")]:
        field(page, f"community.region.{key}").locator("input").fill(value)
    summary = "江湾社区发动居民和共建单位，把闲置的江边空地改造成儿童和老人都能用的口袋公园，由居民志愿者轮流维护。"
    field(page, "summary").locator("textarea").fill(summary)
    field(page, "themes").locator('[role="combobox"]').click()
    page.get_by_role("option", name="社区营造").click()
    field(page, "summary").locator("textarea").click()          # closes the list (Escape would leave the editor)
    page.get_by_role("button", name=re.compile("添加.*做法与经过")).first.click()
    field(page, "story.practices.0.title").locator("input").fill("摸清需求")
    field(page, "story.practices.0.body").locator('[contenteditable="true"]').click()
    page.keyboard.insert_text("组织居民议事会，听取老人和孩子家长的意见。")
    page.locator("div.sui.text-input.flex input").last.fill("jiangwan-park")   # the slug: the file name
    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, "cms-new-case.png")
    page.get_by_role("button", name="保存").click()
    written = saved(page, "content/cases/jiangwan-park.yaml", "江湾公园共建计划")
    assert yaml.safe_load(written) == {
        "status": "draft",
        "brand": {"name": "江湾公园共建计划"},
        "community": {"name": "江湾社区", "kind": "urban",
                      "region": {"province": "广东省", "city": "清远市", "district": "清城区", "street": "洲心街道"}},
        "summary": summary,
        "themes": ["社区营造"],
        "story": {"practices": [{"title": "摸清需求", "body": "组织居民议事会，听取老人和孩子家长的意见。"}]},
    }
    content = content_with(tmp_path, "content/cases/jiangwan-park.yaml", written)
    assert "jiangwan-park" in [c.id for c in validate_content(content).cases]


def test_editing_a_case_keeps_it_published_and_valid(cms, tmp_path):
    page, base = cms
    page.get_by_text("连江营造计划（连江社区）").wait_for()         # each case by its brand and community
    assert page.get_by_text("您正在浏览「⁨案例⁩」集合，有 14 个条目。").is_visible()
    shoot(page, "cms-cases.png")
    page.goto(base + "admin/#/collections/cases/entries/zhouxin-lianjiang")
    slogan = field(page, "brand.slogan").locator("input")
    assert slogan.input_value() == "在连江，看见美好生活"
    slogan.fill("在连江，遇见美好生活")
    shoot(page, "cms-edit-case.png")
    page.get_by_role("button", name="保存").click()
    written = saved(page, "content/cases/zhouxin-lianjiang.yaml", "遇见美好生活")
    record = yaml.safe_load(written)
    assert record["brand"]["slogan"] == "在连江，遇见美好生活"
    assert record.get("status", "published") == "published"      # saving never unpublishes
    content = content_with(tmp_path, "content/cases/zhouxin-lianjiang.yaml", written)
    loaded = {c.id: c for c in validate_content(content).cases}
    original, _ = read_document(REPO / "content" / "cases" / "zhouxin-lianjiang.yaml")
    assert loaded["zhouxin-lianjiang"].record.summary.startswith("连江社区单体楼")
    assert loaded["zhouxin-lianjiang"].record.status == "published"
    assert original.data["story"]["practices"][0]["title"] == loaded["zhouxin-lianjiang"].record.story.practices[0].title


def test_a_published_case_page_for_the_guide(chromium, sample_site):
    with serve(sample_site) as base:
        page = chromium.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page.goto(base + "cases/zhouxin-lianjiang/")
        assert page.get_by_role("heading", level=1).inner_text().startswith("连江营造计划")
        shoot(page, "case-page.png")
        page.close()
