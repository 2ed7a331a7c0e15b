import pytest

from yipin.build.outputs import Outputs, write_tree
from yipin.errors import YipinError


def test_an_output_path_can_be_planned_once_only():
    outputs = Outputs()
    outputs.add("cases/x/index.md", "a")
    with pytest.raises(YipinError, match="两个输出写到同一个文件 cases/x/index.md"):
        outputs.add("cases/x/index.md", "b")


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside", "a/../../b", ""])
def test_an_output_cannot_escape_the_folder(path):
    with pytest.raises(YipinError):
        Outputs().add(path, "x")


def test_write_tree_replaces_what_it_wrote_before(tmp_path):
    target = tmp_path / "out"
    earlier = Outputs()
    earlier.add("stale.txt", "old")
    write_tree(earlier, target)
    outputs = Outputs()
    outputs.add("a/b.txt", "新")
    write_tree(outputs, target)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == [".yipin-files", "a", "a/b.txt"]
    assert (target / "a" / "b.txt").read_text(encoding="utf-8") == "新"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging or old copy left


def test_a_file_output_is_linked_or_copied_never_held_in_memory(tmp_path):
    source = tmp_path / "cache" / "960.webp"
    source.parent.mkdir()
    source.write_bytes(b"RIFF....WEBP")
    outputs = Outputs()
    outputs.add_file("images/ab12cd34/park-960.webp", source)
    outputs.add("index.html", "<p>")
    assert outputs.source("images/ab12cd34/park-960.webp") == source and outputs.source("index.html") is None
    assert outputs["images/ab12cd34/park-960.webp"] == b"RIFF....WEBP"
    with pytest.raises(YipinError, match="两个输出写到同一个文件"):
        outputs.add_file("images/ab12cd34/park-960.webp", source)
    merged = Outputs()
    merged.update_from(outputs)
    assert merged.source("images/ab12cd34/park-960.webp") == source
    write_tree(merged, tmp_path / "site")
    assert (tmp_path / "site" / "images" / "ab12cd34" / "park-960.webp").read_bytes() == b"RIFF....WEBP"
    assert source.read_bytes() == b"RIFF....WEBP"  # the cache is left as it was
