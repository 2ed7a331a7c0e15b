"""The web editor at /admin/: a Sveltia CMS configuration generated from the record models."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.exceptions import Abort, PluginError

from yipin import tools
from yipin.build.pipeline import build_site
from yipin.config import CmsSettings, Settings, settings_from_mkdocs_yml, settings_from_options
from yipin.content.models import Case, Street, Taxonomy
from yipin.content.models.base import submodel
from yipin.errors import SettingsErrors, YipinError
from yipin.render.cms import admin_policy, cms_config
from yipin.render.cms_assets import PACKAGE, SCRIPT, cms_assets

from .conftest import FIXTURE_CONTENT, build, dev_tool, make_content, site_config


def sveltia_schema() -> Path:
    return dev_tool("@sveltia/cms", "schema", "sveltia-cms.json")

# One field of every kind, with the widget staff get for it.
WIDGETS = {
    ("cases", "id"): {"widget": "string", "pattern": ["^[a-z0-9]+(-[a-z0-9]+)*$"]},
    ("cases", "status"): {"widget": "select", "default": "published"},
    ("cases", "summary"): {"widget": "text", "minlength": 30, "maxlength": 200},
    ("cases", "themes"): {"widget": "select", "multiple": True, "min": 1, "max": 5},
    ("cases", "groups"): {"widget": "select", "multiple": True},
    ("cases", "brand", "name"): {"widget": "string", "minlength": None},
    ("cases", "brand", "launched"): {"widget": "string"},
    ("cases", "brand", "logo"): {"widget": "image", "choose_url": False},
    ("cases", "community", "kind"): {"widget": "select"},
    ("cases", "community", "population"): {"widget": "number", "value_type": "int", "min": 0},
    ("cases", "community", "area_km2"): {"widget": "number", "value_type": "float"},
    ("cases", "story"): {"widget": "object"},
    ("cases", "story", "background"): {"widget": "markdown"},
    ("cases", "story", "practices"): {"widget": "list", "min": 1},
    ("cases", "story", "practices", "body"): {"widget": "markdown"},
    ("cases", "replication", "steps"): {"widget": "list", "min": 1},
    ("cases", "activities", "start"): {"widget": "string"},
    ("cases", "activities", "except"): {"widget": "list"},
    ("cases", "activities", "description"): {"widget": "markdown"},
    ("cases", "gallery"): {"widget": "list"},
    ("cases", "gallery", "src"): {"widget": "image"},
    ("cases", "gallery", "people"): {"widget": "boolean", "default": False},
    ("cases", "sources", "url"): {"widget": "string"},
    ("streets", "intro"): {"widget": "markdown"},
    ("streets", "region"): {"widget": "object"},
}


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.model_validate(yaml.safe_load((FIXTURE_CONTENT / "taxonomy.yaml").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def config(taxonomy) -> dict:
    return cms_config(Settings(content=FIXTURE_CONTENT, site_url="https://yipin.example.org/"), taxonomy)


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def field_at(config: dict, path: tuple[str, ...]) -> dict:
    fields = collection(config, path[0])["fields"]
    entry: dict = {}
    for name in path[1:]:
        entry = next(f for f in fields if f["name"] == name)
        fields = entry.get("fields", [])
    return entry


@pytest.mark.parametrize(("collection_name", "model"), [("cases", Case), ("streets", Street)])
def test_every_model_field_appears_with_its_label_hint_and_required_flag(config, collection_name, model):
    def compare(model, fields, where):
        assert [f["name"] for f in fields] == [i.alias or n for n, i in model.model_fields.items()], where
        for info, entry in zip(model.model_fields.values(), fields, strict=True):
            at = f"{where}.{entry['name']}"
            assert entry["label"] == info.title, at
            assert entry["hint"] == info.description, at
            assert entry["required"] is info.is_required(), at   # Sveltia's default would be true
            inner = submodel(info.annotation)
            if inner is not None:
                assert entry["widget"] in {"object", "list"}, at
                compare(inner, entry["fields"], at)
            else:
                assert "fields" not in entry, at

    compare(model, collection(config, collection_name)["fields"], collection_name)


@pytest.mark.parametrize("path", list(WIDGETS))
def test_each_kind_of_field_gets_a_fitting_widget(config, path):
    entry = field_at(config, path)
    assert {k: entry.get(k) for k in WIDGETS[path]} | ({"pattern": entry.get("pattern", [None])[:1]}
                                                        if "pattern" in WIDGETS[path] else {}) == WIDGETS[path]


def test_defaults_are_the_models_own(config):
    """Sveltia fills a default into existing records that lack the field; any default
    but the model's would change a record just by opening and saving it."""
    def walk(model, fields):
        for info, entry in zip(model.model_fields.values(), fields, strict=True):
            inner = submodel(info.annotation)
            if inner is not None:
                walk(inner, entry["fields"])
            elif "default" in entry:
                assert entry["default"] == info.default, entry["name"]
    walk(Case, collection(config, "cases")["fields"])
    walk(Street, collection(config, "streets")["fields"])


def test_taxonomy_terms_are_the_choices(config, taxonomy):
    themes = field_at(config, ("cases", "themes"))
    assert [o["value"] for o in themes["options"]] == [t.term for t in taxonomy.themes]
    groups = field_at(config, ("cases", "groups"))
    assert [o["value"] for o in groups["options"]] == [t.term for t in taxonomy.groups]


def test_community_kinds_are_labelled_in_chinese(config):
    kind = field_at(config, ("cases", "community", "kind"))
    assert kind["options"][0] == {"label": "城市社区（urban）", "value": "urban"}


def test_partial_dates_keep_the_models_pattern(config):
    pattern, message = field_at(config, ("cases", "brand", "launched"))["pattern"]
    assert all(re.match(pattern, text) for text in ["2021", "2021-12", "2021-12-05", "2021年12月"])
    assert not re.match(pattern, "2021/12")
    assert message.endswith("2021、2021-12、2021-12-05 或 2021年12月")


def test_collections_read_and_write_the_content_folders(config):
    cases, streets = collection(config, "cases"), collection(config, "streets")
    assert (cases["folder"], cases["extension"], cases["format"]) == ("content/cases", "yaml", "yaml")
    assert (streets["folder"], streets["extension"], streets["format"]) == ("content/streets", "yaml", "yaml")
    # a case's pictures go to content/images/<case id>/ and are written relative to content/
    assert cases["media_folder"] == "/content/images/{{slug}}"
    assert cases["public_folder"] == "images/{{slug}}"
    assert cases["slug"]["editable"] == ["create"]
    assert config["output"] == {"omit_empty_optional_fields": True}


def test_the_configuration_validates_against_sveltias_published_schema(config):
    schema = json.loads(sveltia_schema().read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(config), key=lambda e: e.json_path)
    assert [e.json_path for e in errors] == []


def test_a_broken_field_would_fail_that_validation(config):
    """The schema check is not vacuous: a select list without its options is caught."""
    schema = json.loads(sveltia_schema().read_text(encoding="utf-8"))
    broken = json.loads(json.dumps(config))
    del field_at(broken, ("cases", "status"))["options"]
    assert not jsonschema.Draft7Validator(schema).is_valid(broken)


def test_every_widget_is_one_sveltia_ships(config):
    """Sveltia's schema accepts any other name as a custom widget, so check the names here."""
    schema = json.loads(sveltia_schema().read_text(encoding="utf-8"))
    built_in = set(schema["definitions"]["CustomField"]["properties"]["widget"]["not"]["enum"])

    def widgets(fields):
        for entry in fields:
            yield entry["widget"]
            yield from widgets(entry.get("fields", []))

    used = {w for c in config["collections"] for w in widgets(c["fields"])}
    assert used <= built_in
    assert used == {"string", "text", "markdown", "number", "boolean", "select", "image", "object", "list"}


@pytest.mark.parametrize(("options", "backend"), [
    ({}, {"name": "github", "repo": "your-org/your-site", "branch": "main"}),
    ({"backend": "github", "repo": "street/site", "branch": "pages"},
     {"name": "github", "repo": "street/site", "branch": "pages"}),
    ({"backend": "gitea", "repo": "street/site", "base_url": "https://git.example.org",
      "api_root": "https://git.example.org/api/v1", "app_id": "abc"},
     {"name": "gitea", "repo": "street/site", "branch": "main", "base_url": "https://git.example.org",
      "api_root": "https://git.example.org/api/v1", "app_id": "abc"}),
    ({"backend": "gitlab", "repo": "street/site", "api_root": "https://gl.example.org/api/v4", "app_id": "x"},
     {"name": "gitlab", "repo": "street/site", "branch": "main", "api_root": "https://gl.example.org/api/v4",
      "app_id": "x", "auth_type": "pkce"}),
])
def test_the_backend_comes_from_the_plugin_settings(taxonomy, options, backend):
    settings = Settings(content=FIXTURE_CONTENT, cms=CmsSettings.from_mapping(options))
    assert cms_config(settings, taxonomy)["backend"] == backend


@pytest.mark.parametrize(("options", "message"), [
    ({"backend": "bitbucket"}, "mkdocs.yml: plugins.yipin.cms: backend 只能是 github、gitlab、gitea，现在是“bitbucket”"),
    ({"rep": "x/y"}, "mkdocs.yml: plugins.yipin.cms: 没有 rep：可以写 backend、repo、branch、base_url、api_root、app_id"),
])
def test_bad_cms_settings_are_named(tmp_path, options, message):
    with pytest.raises(SettingsErrors) as info:
        settings_from_options(tmp_path, {"cms": options}, site_url="", site_name="", docs_dir=tmp_path, custom_dir=None,
                              config=Path("mkdocs.yml"))
    assert str(info.value) == message


def test_mkdocs_yml_cms_settings_reach_the_config(tmp_path):
    content = make_content(tmp_path)
    config_file = site_config(tmp_path, content, cms={"backend": "gitea", "repo": "street/site"})
    settings = settings_from_mkdocs_yml(config_file)
    built = yaml.safe_load(build_site(settings).files["admin/config.yml"])
    assert built["backend"]["name"] == "gitea"
    assert built["backend"]["repo"] == "street/site"


def test_a_bad_cms_setting_stops_mkdocs_with_the_message(tmp_path, caplog):
    content = make_content(tmp_path)
    with pytest.raises((PluginError, Abort)):
        build(site_config(tmp_path, content, cms={"backend": "svn"}))
    assert "plugins.yipin.cms: backend 只能是 github、gitlab、gitea，现在是“svn”" in caplog.text
    assert not (tmp_path / "site").exists()


def sveltia() -> Path:
    return tools.package_path(PACKAGE)


def test_the_cms_copy_loads_nothing_from_a_cdn():
    files = cms_assets(sveltia())
    script = files["sveltia-cms.js"].decode("utf-8")
    assert "cdn.jsdelivr.net" not in script
    assert set(re.findall(r"https://unpkg\.com[^`'\"\s)]*", script)) == {"https://unpkg.com/@sveltia/cms"}
    assert "`./locales`" in script
    for name in ("material-symbols-outlined-latin-wght-normal.woff2", "source-sans-3-latin-wght-normal.woff2"):
        assert f"url(fonts/{name})" in script
        assert files[f"fonts/{name}"][:4] == b"wOF2"
    assert json.loads(files["locales/zh-CN.json"])                      # the interface in Chinese
    assert json.loads(files["package.json"])["version"] == json.loads((sveltia() / "package.json").read_text())["version"]


def test_a_sveltia_version_that_moves_an_address_stops_the_build(tmp_path):
    copy = tmp_path / "cms"
    shutil.copytree(sveltia(), copy, ignore=shutil.ignore_patterns("*.map", "chunks"))
    script = (sveltia() / SCRIPT).read_text(encoding="utf-8").replace("`${iP}@${rP}/locales`", "`${iP}/v2/locales`")
    (copy / SCRIPT).write_text(script, encoding="utf-8")
    with pytest.raises(YipinError, match="Sveltia CMS 换了版本"):
        cms_assets(copy)


def test_a_broken_tool_folder_says_how_to_mend_it(tmp_path):
    package = tmp_path / "node_modules" / "@sveltia" / "cms"
    with pytest.raises(YipinError) as info:
        cms_assets(package)
    assert str(info.value) == (f"前端工具不完整，找不到网页编辑器 {package / SCRIPT}：请删去 {tmp_path / 'node_modules'} "
                               "后重新运行，Yipin 会重新安装")


def test_the_site_serves_the_pinned_cms_from_its_own_files(sample_site: Path):
    admin = sample_site / "admin"
    assert (admin / "sveltia-cms.js").is_file() and (admin / "locales" / "zh-CN.json").is_file()
    page = BeautifulSoup((admin / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [s["src"] for s in page.find_all("script")] == ["sveltia-cms.js"]
    assert page.find("link", rel="cms-config-url")["href"] == "config.yml"
    loaded = [tag.get("src") or tag.get("href") for tag in page.find_all(["script", "link", "img"])]
    assert not [url for url in loaded if "//" in url]   # nothing from elsewhere
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "script-src 'self';" in policy and "connect-src 'self' data: blob: https://api.github.com " in policy
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"]["repo"] == "example-org/yipin-site"            # from mkdocs.yml
    assert collection(config, "cases")["folder"] == "content/cases"


def test_the_editors_policy_names_a_self_hosted_forge():
    policy = admin_policy(CmsSettings(backend="gitea", repo="jiedao/site", base_url="https://git.example.gov.cn",
                                      api_root="https://git.example.gov.cn/api/v1"))
    assert policy["connect-src"] == ("'self'", "data:", "blob:", "https://git.example.gov.cn")
    assert policy["script-src"] == ("'self'",)
