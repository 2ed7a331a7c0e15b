"""`yipin book` (commands/book.py, render/book.py, themes/pages/book.typ), read back with
pypdf: every chosen case's name in the text and a bookmark per case, page numbers, fonts
embedded as subsets, real photos in and 示意图 out, record text never Typst code, the same
bytes twice, a site's own template, and exit 3 without a Chinese font."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from yipin.commands.main import main
from yipin.config import Settings
from yipin.content.validate import validate_content
from yipin.render import fonts
from yipin.site.derive import derive_site

from .conftest import REPO, make_content, site_config
from .image_fixtures import camera_jpeg

SAMPLE = REPO / "content"


def book(args: list[str], out: Path) -> pypdf.PdfReader:
    assert main(["book", "--out", str(out), *args]) == 0
    return pypdf.PdfReader(out)


def text_of(reader: pypdf.PdfReader) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def bookmarks(reader: pypdf.PdfReader) -> list[str]:
    return [item.title for item in reader.outline if not isinstance(item, list)]


def sample_names(street: str | None = None) -> list[str]:
    settings = Settings(content=SAMPLE)
    site = derive_site(validate_content(SAMPLE), settings)
    return [case.record.brand.name for case in site.cases if street is None or case.street and case.street.slug == street]


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book") / "汇编.pdf"
    book(["--content", str(SAMPLE)], out)
    return out


def test_the_sample_book_holds_every_case_with_a_bookmark(sample_book):
    reader = pypdf.PdfReader(sample_book)
    names = sample_names()
    assert bookmarks(reader) == names
    text = text_of(reader)
    for name in names:
        assert re.sub(r"\s+", "", name) in text
    contents = re.sub(r"\s+", "", reader.pages[1].extract_text())
    assert "目录" in contents
    for item in reader.outline:
        if not isinstance(item, list):  # the contents give each case's page number, as printed in its footer
            page = reader.get_destination_page_number(item)
            assert reader.pages[page].extract_text().strip().endswith(str(page))
            assert re.sub(r"\s+", "", item.title)[:4] in contents


def test_each_case_starts_a_page_with_header_and_number(sample_book):
    reader = pypdf.PdfReader(sample_book)
    starts = [reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)]
    assert len(set(starts)) == len(starts)
    page = reader.pages[starts[0]].extract_text()
    assert page.splitlines()[0].startswith("一品")   # the running header: the book's title


def test_fonts_are_embedded_subsets_and_the_dates_fixed(sample_book):
    reader = pypdf.PdfReader(sample_book)
    names = set()
    for page in reader.pages[:3]:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            names.add(str(font["/BaseFont"]))
    assert names and all(re.match(r"/[A-Z]{6}\+", name) for name in names)
    assert reader.metadata["/CreationDate"] == reader.metadata["/ModDate"]
    assert "Noto" in " ".join(names)


def test_same_bytes_twice(sample_book, tmp_path):
    again = tmp_path / "again.pdf"
    book(["--content", str(SAMPLE)], again)
    assert again.read_bytes() == sample_book.read_bytes()


def test_a_streets_book_holds_only_its_cases(tmp_path):
    reader = book(["--content", str(SAMPLE), "--street", "qingcheng-zhouxin"], tmp_path / "洲心.pdf")
    assert bookmarks(reader) == sample_names("qingcheng-zhouxin")
    assert "洲心街道案例汇编" in text_of(reader)


def test_chosen_cases_in_the_order_given(tmp_path):
    reader = book(["--content", str(SAMPLE), "--cases", "zhouxin-zhennan,beizhen-yulonghu"], tmp_path / "two.pdf")
    assert bookmarks(reader) == ["红管+", "“四位一体”居民之家"]


def test_the_sample_illustrations_stay_out(sample_book):
    reader = pypdf.PdfReader(sample_book)
    assert all(not page.images for page in reader.pages)   # every sample picture is a 示意图


HOSTILE = '#eval("1+1") $x^2$ *粗* _斜_ [链接] \\ #set page(fill: red) <标签> @引用 // 注释 `代码`'


def hostile_content(tmp_path: Path) -> Path:
    content = make_content(tmp_path)
    camera_jpeg(content / "images" / "base" / "park.jpg", (1600, 1200), seed=3)
    case = content / "cases" / "base.yaml"
    text = case.read_text(encoding="utf-8").replace("slogan: 样例口号", f"slogan: '{HOSTILE}'")
    text = text.replace("steps: [摸清需求, 盘点空间]", f"steps: ['{HOSTILE}', 盘点空间]")
    text = text.replace("body: 做法内容。", "body: '做法：#eval(\"3*7\") $y$ \\\\ #pagebreak()'")  # Markdown, then Typst
    gallery = ("gallery:\n  - src: images/base/park.jpg\n    alt: 社区公园的现场照片\n    caption: 改造后的公园\n"
               "  - src: images/base/logo.png\n    alt: 品牌卡片示意图\n    caption: 品牌卡片（示意图）\n")
    text = text[:text.index("gallery:")] + gallery + text[text.index("sources:"):]
    case.write_text(text, encoding="utf-8")
    return content


def test_record_text_is_never_typst_code(tmp_path):
    reader = book(["--content", str(hostile_content(tmp_path))], tmp_path / "hostile.pdf")
    text = text_of(reader)
    assert re.sub(r"\s+", "", HOSTILE) in text   # the slogan and the step, as typed
    assert text.count('#eval("1+1")') == 2   # the slogan, the step
    assert '做法：#eval("3*7")$y$' in text and "做法：21" not in text


def test_real_photos_go_in_and_illustrations_stay_out(tmp_path):
    reader = book(["--content", str(hostile_content(tmp_path))], tmp_path / "photos.pdf")
    pictures = [image for page in reader.pages for image in page.images]
    assert len(pictures) == 1   # the photo; the 示意图 card is left out, the QR code is vector
    assert "改造后的公园" in text_of(reader) and "品牌卡片" not in text_of(reader)


def test_a_sites_own_template_replaces_yipins(tmp_path):
    content = make_content(tmp_path)
    config = site_config(tmp_path, content)
    pages = tmp_path / "overrides" / "pages"
    pages.mkdir(parents=True)
    (pages / "book.typ").write_text('#let book = json(bytes(sys.inputs.book))\n#set text(font: book.font)\n'
                                    '本街道自己的汇编：#book.cases.len() 个案例\n', encoding="utf-8")
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n", 1),
                      encoding="utf-8")
    reader = book(["-f", str(config)], tmp_path / "own.pdf")
    assert text_of(reader) == "本街道自己的汇编：1个案例"


def test_unknown_choices_are_usage_errors(tmp_path, capsys):
    for args, said in ((["--street", "nowhere"], "没有名为“nowhere”的街道"), (["--theme", "不存在"], "词表里没有主题"),
                       (["--cases", "nobody"], "没有编号为“nobody”"), (["--district", "x"], "没有名为“x”的区县")):
        assert main(["book", "--content", str(SAMPLE), "--out", str(tmp_path / "x.pdf"), *args]) == 2
        error = capsys.readouterr().err
        assert said in error and len(error.strip().splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_no_chinese_font_is_exit_3_naming_the_package(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(fonts, "CANDIDATES", ((tmp_path / "none.ttc", tmp_path / "none-bold.ttc"),))
    monkeypatch.delenv(fonts.ENVIRONMENT, raising=False)
    assert main(["book", "--content", str(SAMPLE), "--out", str(tmp_path / "x.pdf")]) == 3
    error = capsys.readouterr().err
    assert "找不到中文字体，排不了案例汇编" in error and "fonts-noto-cjk" in error and "Traceback" not in error

