"""The requirements.txt `yipin init` writes installs the same Yipin elsewhere: the line
follows pip's record of where this Yipin came from (PEP 610 direct_url.json), says so, and
names a local folder or file as usable on this machine only. No credential is written."""

from __future__ import annotations

import subprocess

import pytest

from yipin.commands.requirement import Requirement, requirement_from

COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(("record", "expected"), [
    (None, Requirement("yipin==0.5.0", "Yipin 0.5.0，来自软件包索引（PyPI）", True)),
    ({"url": "https://git.example.org/jiedao/yipin.git", "vcs_info": {"vcs": "git", "commit_id": COMMIT,
                                                                      "requested_revision": "v0.5.0"}},
     Requirement(f"yipin @ git+https://git.example.org/jiedao/yipin.git@{COMMIT}",
                 "Yipin 来自 git 仓库 https://git.example.org/jiedao/yipin.git 的提交 0123456789ab", True)),
    ({"url": "https://bot:s3cretTOKEN@git.example.org/yipin.git", "vcs_info": {"vcs": "git", "commit_id": COMMIT}},
     Requirement(f"yipin @ git+https://git.example.org/yipin.git@{COMMIT}",
                 "Yipin 来自 git 仓库 https://git.example.org/yipin.git 的提交 0123456789ab", True)),
    ({"url": "file:///home/li/yipin", "vcs_info": {"vcs": "git", "commit_id": COMMIT}},
     Requirement(f"yipin @ git+file:///home/li/yipin@{COMMIT}",
                 "Yipin 来自本机的 git 仓库 /home/li/yipin 的提交 0123456789ab（别的电脑用不了）", False)),
    ({"url": "https://files.example.org/yipin-0.5.0-py3-none-any.whl", "archive_info": {"hash": "sha256=ab12"}},
     Requirement("yipin @ https://files.example.org/yipin-0.5.0-py3-none-any.whl#sha256=ab12",
                 "Yipin 0.5.0，来自 https://files.example.org/yipin-0.5.0-py3-none-any.whl", True)),
    ({"url": "file:///tmp/yipin-0.5.0-py3-none-any.whl", "archive_info": {}},
     Requirement("yipin @ file:///tmp/yipin-0.5.0-py3-none-any.whl",
                 "Yipin 0.5.0，来自本机文件 /tmp/yipin-0.5.0-py3-none-any.whl（别的电脑用不了）", False)),
])
def test_the_line_follows_where_yipin_was_installed_from(record, expected):
    assert requirement_from(record, "0.5.0") == expected


def _checkout(folder, origin: str | None) -> str:
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    (folder / "README.md").write_text("yipin\n", encoding="utf-8")
    git = ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "first"], check=True)
    if origin:
        subprocess.run([*git, "remote", "add", "origin", origin], check=True)
    return subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.parametrize(("origin", "address"), [("https://ci:tok@git.example.org/jiedao/yipin.git",
                                                  "https://git.example.org/jiedao/yipin.git"),
                                                 ("git@git.example.org:jiedao/yipin.git",
                                                  "ssh://git@git.example.org/jiedao/yipin.git")])
def test_an_editable_checkout_is_named_by_its_origin_and_commit(tmp_path, origin, address):
    commit = _checkout(tmp_path, origin)
    found = requirement_from({"url": tmp_path.as_uri(), "dir_info": {"editable": True}}, "0.5.0")
    assert found == Requirement(f"yipin @ git+{address}@{commit}",
                                f"Yipin 来自 git 仓库 {address} 的提交 {commit[:12]}（请确认这个提交已推送到那里）", True)


def test_a_checkout_without_a_remote_works_on_this_machine_only(tmp_path):
    commit = _checkout(tmp_path, None)
    found = requirement_from({"url": tmp_path.as_uri(), "dir_info": {"editable": True}}, "0.5.0")
    assert found.line == f"yipin @ git+{tmp_path.as_uri()}@{commit}" and not found.shareable


def test_a_plain_folder_works_on_this_machine_only(tmp_path):
    found = requirement_from({"url": tmp_path.as_uri(), "dir_info": {}}, "0.5.0")
    assert found == Requirement(f"yipin @ {tmp_path.as_uri()}", f"Yipin 0.5.0，来自本机文件夹 {tmp_path}（别的电脑用不了）", False)
