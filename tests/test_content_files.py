"""Record files as the system hands them over: every entry of cases/ that looks like a record
is read or reported, never skipped silently, never read whole before its size is judged, and
never followed out of content/. Unreadable files are the machine's problem: exit code 3."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from yipin.commands.main import main
from yipin.content.reader import MAX_FILE_BYTES
from yipin.content.validate import validate_content
from yipin.errors import ContentErrors

from .conftest import FIXTURE_CONTENT, make_content
from .system import as_a_user, deadline

BASE = (FIXTURE_CONTENT / "cases" / "base.yaml").read_text(encoding="utf-8")


def check(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--content", "content"])
    return code, capsys.readouterr().out


def test_a_fifo_named_like_a_record_is_reported_without_blocking(in_tmp, capsys):
    content = make_content(in_tmp)
    os.mkfifo(content / "cases" / "pipe.yaml")
    with deadline(10):
        assert check(capsys) == (1, "content/cases/pipe.yaml:1:1: 这不是普通文件（可能是管道或设备文件）：请换成普通的 .yaml 文件\n")


def test_a_folder_named_like_a_record_is_reported(in_tmp, capsys):
    content = make_content(in_tmp)
    (content / "cases" / "old.yaml").mkdir()
    assert check(capsys) == (1, "content/cases/old.yaml:1:1: 这是一个文件夹，不是案例文件：案例文件应是 .yaml 文件，请把文件夹改名或移出\n")


def test_a_dangling_link_is_reported(in_tmp, capsys):
    content = make_content(in_tmp)
    (content / "cases" / "gone.yaml").symlink_to(in_tmp / "nowhere.yaml")
    assert check(capsys) == (1, "content/cases/gone.yaml:1:1: 这是一个失效的链接，它指向的文件不存在：请删去它，或换成文件本身\n")


def test_a_record_linked_from_outside_content_is_refused_like_an_image(in_tmp, capsys):
    content = make_content(in_tmp)
    outside = in_tmp / "elsewhere.yaml"
    outside.write_text(BASE.replace("id: base", "id: linked"), encoding="utf-8")
    (content / "cases" / "linked.yaml").symlink_to(outside)
    assert check(capsys) == (1, "content/cases/linked.yaml:1:1: 这个文件是指向 content/ 以外的链接：请把文件本身复制进来，不要用链接\n")


def test_a_link_inside_content_is_followed(in_tmp, capsys):
    content = make_content(in_tmp)
    (content / "cases" / "twin.yaml").symlink_to(content / "cases" / "base.yaml")
    assert check(capsys) == (1, "content/cases/twin.yaml:2:5: id: 编号 base 与文件名 twin.yaml 不一致：把 id 改成 twin，或把文件改名为 base.yaml\n")


def _errors_as_a_user(content: Path) -> list[str]:
    def run() -> list[str]:
        try:
            validate_content(content)
        except ContentErrors as exc:
            return [f"{e.code} {e.message}" for e in exc.errors]
        return []
    return as_a_user(run)


UNREADABLE = ("unreadable 没有权限读取这个文件（或它所在的文件夹）：请让运行 yipin 的账号能读取它"
              "（如 chmod a+r），或换一个有权限的账号运行")


def test_an_unreadable_record_and_an_unreadable_folder_are_machine_problems(open_folder):
    content = make_content(open_folder)
    for path in content.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    assert _errors_as_a_user(content) == []  # readable: the child really reads
    (content / "cases" / "base.yaml").chmod(0)
    assert _errors_as_a_user(content) == [UNREADABLE]
    (content / "cases").chmod(0)
    assert _errors_as_a_user(content) == [UNREADABLE]


def test_an_unreadable_record_makes_check_exit_with_the_machine_code(in_tmp, capsys, monkeypatch):
    content = make_content(in_tmp)
    real_open = open

    def refusing_open(file, *args, **kwargs):
        if str(file).endswith("base.yaml"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refusing_open)
    code, out = check(capsys)
    assert (code, out) == (3, f"content/cases/base.yaml:1:1: {UNREADABLE.split(' ', 1)[1]}\n")
    assert content.is_dir()


def test_a_huge_sparse_file_is_refused_from_its_size_alone(in_tmp):
    """2 GB of nothing: refused in a blink, without reading it (a read took 17 s and 4.3 GB)."""
    content = make_content(in_tmp)
    with open(content / "cases" / "huge.yaml", "wb") as file:
        file.truncate(2 * 1024**3)
    # The peak memory the check adds: a child starts with its parent's peak (Linux keeps the
    # high-water mark across fork), so the difference is what counts.
    probe = ("import resource, sys, time; from yipin.commands.main import main; start = time.perf_counter(); "
             "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; code = main(['check', '--content', 'content']); "
             "print(code, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=in_tmp, capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
    code, seconds, added_kb = result.stdout.split()[-3:]
    assert result.stdout.startswith(f"content/cases/huge.yaml:1:1: 文件有 {2 * 1024**3} 字节，超过上限 {MAX_FILE_BYTES} 字节")
    assert int(code) == 1
    assert float(seconds) < 5
    assert int(added_kb) < 200_000  # the models and the rules; nothing of the file
