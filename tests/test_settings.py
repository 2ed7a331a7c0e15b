"""The site's settings (mkdocs.yml's `yipin` section) are staff's to get wrong: every bad
option is one Chinese line naming it, all of them at once, exit 2, never a traceback; the
defaults are declared once (Settings) and the MkDocs plugin takes the same names."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from yipin.commands.main import main
from yipin.config import OPTIONS, Settings, settings_from_options
from yipin.errors import SettingsErrors
from yipin.plugin import YipinConfig

from .conftest import FIXTURE_CONTENT, site_config


def _read(tmp_path: Path, **options: object) -> Settings:
    return settings_from_options(tmp_path, options, site_url="", site_name="", docs_dir=tmp_path / "docs",
                                 custom_dir=None, config=Path("mkdocs.yml"))


def test_left_out_and_empty_options_take_the_defaults_of_settings(tmp_path):
    read = _read(tmp_path, contact="", featured=None, calendar_months_after=None)
    assert read.calendar_months_before == Settings.calendar_months_before == 3
    assert read.calendar_months_after == 12
    assert (read.content, read.image_cache, read.build_cache) == (tmp_path / "content", tmp_path / ".yipin-cache/images",
                                                                  tmp_path / ".yipin-cache/build")
    assert read.featured == () and read.contact == ""


def test_the_plugin_takes_every_option_of_the_settings_and_no_other():
    assert {name for name, _ in YipinConfig._schema} == set(OPTIONS)
    assert set(OPTIONS) <= {f.name for f in dataclasses.fields(Settings)}


@pytest.mark.parametrize(("options", "line"), [
    ({"calendar_months_before": "abc"}, "plugins.yipin.calendar_months_before: 应为 0 到 120 之间的整数，现在是“abc”"),
    ({"calendar_months_after": 0}, "plugins.yipin.calendar_months_after: 应为 1 到 120 之间的整数，现在是“0”"),
    ({"image_workers": True}, "plugins.yipin.image_workers: 应为 0 到 64 之间的整数，现在是“true”"),
    ({"organisation": ["甲", "乙"]}, "plugins.yipin.organisation: 应为一行文字，现在是“[甲, 乙]”"),
    ({"featured": "zhouxin-lianjiang"}, "plugins.yipin.featured: 应为列表（每项一行，以“- ”开头），现在是“zhouxin-lianjiang”"),
    ({"featured": [1]}, "plugins.yipin.featured[1]: 每一项应为文字，现在有“1”"),
    ({"members": [{"path": "../zhouxin", "name": "洲心"}]},
     "plugins.yipin.members[1]: 每一项写 url:（成员网站的网址）或 path:（生成好的成员网站文件夹），现在是“{name: 洲心, path: ../zhouxin}”"),
    ({"members": {"url": "https://a.example/"}},
     "plugins.yipin.members: 应为列表（每项一行，以“- ”开头），现在是“{url: 'https://a.example/'}”"),
    ({"cms": "github"}, "plugins.yipin.cms: 应写成下一级的“选项: 值”，现在是“github”"),
    ({"image_workrs": 2}, "plugins.yipin.image_workrs: 没有这个设置：是不是 image_workers？"),
])
def test_a_bad_option_is_one_line_naming_it(tmp_path, options, line):
    with pytest.raises(SettingsErrors) as info:
        _read(tmp_path, **options)
    assert str(info.value) == f"mkdocs.yml: {line}"


def test_every_bad_option_is_reported_at_once(tmp_path):
    with pytest.raises(SettingsErrors) as info:
        _read(tmp_path, calendar_months_before="abc", network=["ftp://x"], colour="red")
    assert info.value.problems == [
        "mkdocs.yml: plugins.yipin.colour: 没有这个设置：可以写 " + "、".join(OPTIONS),
        "mkdocs.yml: plugins.yipin.network[1]: “ftp://x”不是网址：应以 http:// 或 https:// 开头",
        "mkdocs.yml: plugins.yipin.calendar_months_before: 应为 0 到 120 之间的整数，现在是“abc”",
    ]


@pytest.mark.parametrize("command", [["check"], ["build"], ["export", "out"]])
def test_commands_print_the_lines_and_exit_2_without_a_traceback(tmp_path, monkeypatch, capsys, command):
    site_config(tmp_path, FIXTURE_CONTENT, calendar_months_before="abc", members=[{"path": "x", "name": "y"}])
    monkeypatch.chdir(tmp_path)
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "mkdocs.yml: plugins.yipin.members[1]: 每一项写 url:（成员网站的网址）或 path:（生成好的成员网站文件夹），现在是“{name: y, path: x}”",
        "mkdocs.yml: plugins.yipin.calendar_months_before: 应为 0 到 120 之间的整数，现在是“abc”",
    ]
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(("text", "line"), [
    ("site_name: [一品\n", "mkdocs.yml:2:1: 网站配置不是有效的 YAML：请检查这一行的缩进、冒号和引号"),
    ("- 一品\n", "mkdocs.yml: 网站配置应写成“选项: 值”，如 site_name: 洲心街道一社区一品牌"),
])
def test_a_broken_mkdocs_yml_is_one_line(tmp_path, monkeypatch, capsys, text, line):
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert capsys.readouterr().err.splitlines() == [line]
