"""A site changes Yipin's look without a copy of its theme: a file in the site's custom_dir
replaces the one at the same path (page templates under pages/, Material templates and
assets around them), and everything else still comes from the package."""

from __future__ import annotations

from bs4 import BeautifulSoup

from yipin.commands.main import main
from yipin.themes import PAGES

from .conftest import build


def test_a_sites_own_files_replace_yipins_at_the_same_path(tmp_path):
    site = tmp_path / "site"
    assert main(["init", str(site), "--yes", "--street", "洲心街道"]) == 0
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  # custom_dir: overrides", "  custom_dir: overrides"),
                      encoding="utf-8")
    pages = site / "overrides" / "pages"
    pages.mkdir(parents=True)
    case = (PAGES / "case.md.j2").read_text(encoding="utf-8")
    (pages / "case.md.j2").write_text(case.replace("## 来源", "## 资料来源（本站的写法）"), encoding="utf-8")
    partials = site / "overrides" / "partials"
    partials.mkdir()
    (partials / "copyright.html").write_text('<div class="md-copyright">本站自己的页脚</div>\n', encoding="utf-8")
    built = build(config)
    page = BeautifulSoup((built / "cases" / "zhouxin-example" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "资料来源（本站的写法）" in [h.get_text().strip("¶") for h in page.find_all("h2")]
    assert page.select_one(".md-copyright").get_text() == "本站自己的页脚"
    assert page.select_one(".yp-elder-toggle") is not None            # Yipin's header: not replaced
    assert (built / "assets" / "stylesheets" / "yipin.css").is_file()  # Yipin's assets: still there
    (street_page,) = (built / "streets").glob("*/index.html")
    street = street_page.read_text(encoding="utf-8")
    assert "本站自己的页脚" in street and "资料来源" not in street
