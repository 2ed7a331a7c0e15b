"""Each case's kit as Word (render/kit_docx.py): python-docx opens it, the parts are real
headings, the steps a numbered list, record values plain text, the same bytes twice; the
build writes it beside every case page, and the page offers it."""

from __future__ import annotations

import io
import shutil
import zipfile

import docx
import pytest

from yipin.build.pipeline import build_site, check_site
from yipin.config import Settings
from yipin.render.kit_docx import kit_docx
from yipin.site.derive import derive_site

from .conftest import FIXTURE_CONTENT, REPO


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    settings = Settings(content=REPO / "content", build_cache=tmp_path_factory.mktemp("build"),
                        image_cache=tmp_path_factory.mktemp("images"))
    return derive_site(check_site(settings), settings)


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_every_sample_kit_opens_with_its_brand_and_steps(sample):
    for case in sample.cases:
        kit = case.record.replication
        shown = paragraphs(kit_docx(case, f"https://yipin.example.org/{case.url}"))
        assert shown[0] == ("Title", f"{case.record.brand.name}实施方案")
        assert [text for style, text in shown if style == "List Number"] == kit.steps
        assert [text for style, text in shown if style == "Heading 1"][:3] == ["是什么", "适用条件", "实施步骤"]
        assert ("Normal", kit.contact.org) in shown
        assert shown[-1] == ("Normal", f"https://yipin.example.org/{case.url}")


def test_same_bytes_twice_and_fixed_times(sample):
    case = sample.cases[0]
    first, second = kit_docx(case, "https://x/", "某街道办事处"), kit_docx(case, "https://x/", "某街道办事处")
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    properties = docx.Document(io.BytesIO(first)).core_properties
    assert properties.created.date() == case.updated and properties.modified == properties.created
    assert properties.author == "某街道办事处" and properties.title == f"{case.record.brand.name}实施方案"


HOSTILE = '<w:p>x</w:p> & =HYPERLINK("http://evil") **粗体** {{ 变量 }}'


def test_record_values_stay_plain_text(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    record = content / "cases" / "base.yaml"
    text = record.read_text(encoding="utf-8").replace("steps: [摸清需求, 盘点空间]", f"steps: ['{HOSTILE}', 盘点空间]")
    record.write_text(text, encoding="utf-8")
    settings = Settings(content=content)
    site = derive_site(check_site(settings), settings)
    shown = paragraphs(kit_docx(site.cases[0], "/cases/base/"))
    assert ("List Number", HOSTILE) in shown


def test_the_build_writes_a_kit_per_case_and_the_page_offers_it(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    build = build_site(Settings(content=content))
    assert paragraphs(build.files["cases/base/kit.docx"])[0] == ("Title", "样例品牌实施方案")
    page = build.pages["cases/base/index.md"].decode()
    assert 'href="kit.docx" download="base-实施方案.docx">下载实施方案（Word）</a>' in page


def test_a_rebuild_takes_the_kit_from_the_cache(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    settings = Settings(content=content, build_cache=tmp_path / "cache")
    first = build_site(settings).files["cases/base/kit.docx"]
    monkeypatch.setattr("yipin.build.pipeline.kit_docx", lambda *a: pytest.fail("kit made again"))
    assert build_site(settings).files["cases/base/kit.docx"] == first

