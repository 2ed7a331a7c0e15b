"""Writing into a folder the user named (utils/owned.py, through build.outputs.write_tree):
a new folder appears whole; an existing one is written into only when everything in it was
written there before by yipin (its manifest says so); a file of the user's, a link, or a
forged manifest never costs the user a file, and the folder itself is never replaced."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from yipin.build.outputs import Outputs, write_tree
from yipin.commands.main import main
from yipin.errors import UsageError
from yipin.utils.owned import MANIFEST

from .conftest import make_content, site_config


def _outputs(**files: str) -> Outputs:
    outputs = Outputs()
    for name, text in files.items():
        outputs.add(name.replace("__", "/"), text)
    return outputs


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_new_folder_gets_the_files_and_a_manifest_of_them(tmp_path):
    write_tree(_outputs(**{"a.html": "A", "img__01.jpg": "J"}), tmp_path / "out")
    assert _tree(tmp_path / "out") == {MANIFEST: (tmp_path / "out" / MANIFEST).read_bytes(), "a.html": b"A",
                                       "img/01.jpg": b"J"}
    assert (tmp_path / "out" / MANIFEST).read_text(encoding="utf-8").splitlines()[1:] == ["a.html", "img/01.jpg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging left beside it


def test_a_folder_of_ours_is_rewritten_and_what_is_no_longer_made_goes(tmp_path):
    out = tmp_path / "out"
    write_tree(_outputs(**{"a.html": "A", "old__02.jpg": "J"}), out)
    write_tree(_outputs(**{"a.html": "B"}), out)
    assert sorted(_tree(out)) == [MANIFEST, "a.html"] and (out / "a.html").read_text() == "B"
    assert not (out / "old").exists()


@pytest.mark.parametrize("hostile", ["pictures", "picture-folder", "note", "link"])
def test_anything_of_the_users_is_refused_and_kept(tmp_path, hostile):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "elsewhere.txt").write_text("x")
    if hostile == "pictures":  # the user's own 01.jpg … 05.jpg, the names wechat writes
        for n in range(1, 6):
            (out / f"0{n}.jpg").write_bytes(b"mine")
    elif hostile == "picture-folder":  # a folder named 01.jpg holding a thesis
        (out / "01.jpg").mkdir()
        (out / "01.jpg" / "thesis.docx").write_bytes(b"thesis")
    elif hostile == "note":
        write_tree(_outputs(**{"01.jpg": "ours"}), out)
        (out / "notes.txt").write_text("我的笔记", encoding="utf-8")
    else:
        (out / "01.jpg").symlink_to(tmp_path / "elsewhere.txt")
    before = _tree(out)
    with pytest.raises(UsageError, match=r"里有不是 yipin 写出的“.+”：yipin 只替换自己写过的文件，不会删改别的文件"):
        write_tree(_outputs(**{"01.jpg": "new", "02.jpg": "new"}), out)
    assert _tree(out) == before and (tmp_path / "elsewhere.txt").read_text() == "x"


def test_a_forged_manifest_lists_nothing_outside_the_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "outside.txt").write_text("keep")
    (out / MANIFEST).write_text("../outside.txt\n/etc/passwd\n./x\n", encoding="utf-8")
    write_tree(_outputs(**{"a.html": "A"}), out)  # the manifest's entries are not ours to remove
    assert (tmp_path / "outside.txt").read_text() == "keep"
    assert (out / MANIFEST).read_text(encoding="utf-8").splitlines()[1:] == ["a.html"]


def test_a_folder_of_ours_where_a_file_now_goes_is_refused(tmp_path):
    out = tmp_path / "out"
    write_tree(_outputs(**{"a__b.html": "A"}), out)
    with pytest.raises(UsageError, match="里的“a”是一个文件夹，挡住了要写出的同名文件"):
        write_tree(_outputs(**{"a": "A"}), out)
    assert _tree(out)["a/b.html"] == b"A"


def test_dot_and_a_link_are_written_into_not_replaced(tmp_path, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    write_tree(_outputs(**{"a.html": "A"}), Path("."))
    write_tree(_outputs(**{"a.html": "B"}), Path("."))
    assert Path.cwd() == here and (here / "a.html").read_text() == "B"
    (tmp_path / "link").symlink_to(here)
    write_tree(_outputs(**{"a.html": "C"}), tmp_path / "link")
    assert (tmp_path / "link").is_symlink() and (here / "a.html").read_text() == "C"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here", "link"]  # no .link.<pid>.old
    assert sorted(p.name for p in here.iterdir()) == [MANIFEST, "a.html"]


def test_a_file_as_the_folder_is_refused(tmp_path):
    (tmp_path / "out").write_text("mine")
    with pytest.raises(UsageError, match="是一个文件，不是文件夹"):
        write_tree(_outputs(**{"a.html": "A"}), tmp_path / "out")
    assert (tmp_path / "out").read_text() == "mine"


def test_export_refuses_a_folder_of_the_users_before_building(tmp_path, capsys):
    config = site_config(tmp_path, make_content(tmp_path))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "index.md").write_text("我的首页", encoding="utf-8")
    assert main(["export", "-f", str(config), str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "里有不是 yipin 写出的“index.md”" in error
    assert os.listdir(tmp_path / "out") == ["index.md"]
