"""Yipin's library code speaks through the `yipin` logger: the command prints its lines bare,
MkDocs shows them in its log, and under `strict: true` a Yipin warning stops the build
like one of MkDocs's own, leaving the previous site as it was."""

from __future__ import annotations

import logging

import pytest
from mkdocs.exceptions import Abort, PluginError

import yipin.plugin

from .conftest import FIXTURE_CONTENT, build, make_content, site_config


def test_a_yipin_warning_fails_a_strict_build_and_keeps_the_last_site(tmp_path, monkeypatch, caplog):
    config = site_config(tmp_path, make_content(tmp_path))
    site = build(config)
    before = (site / "index.html").read_bytes()
    real = yipin.plugin.index_built

    def warn_then_index(*args, **kwargs):
        logging.getLogger("yipin.search.index").warning("搜索的一个示例警告")
        return real(*args, **kwargs)

    monkeypatch.setattr(yipin.plugin, "index_built", warn_then_index)
    with pytest.raises((PluginError, Abort)) as info:
        build(config)
    assert "严格模式（strict: true）：有 1 个警告，网站没有更新" in str(info.value) + caplog.text
    assert (site / "index.html").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []


def test_the_command_prints_yipin_lines_bare(tmp_path, monkeypatch, capsys):
    from yipin.commands.main import main
    site_config(tmp_path, FIXTURE_CONTENT)
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    logging.getLogger("yipin.images.run").info("处理图片：示例")
    assert capsys.readouterr().err.splitlines()[-1] == "处理图片：示例"
