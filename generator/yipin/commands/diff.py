"""`yipin diff <ref>`: what a change does, for whoever reviews it.

    content/ at <ref> (git archive)  ─┐                 ┌─ cases and street profiles added,
                                      ├─ validate, build ┤  removed and changed, field by field
    content/ in the working tree  ────┘   (both sides)  └─ the site outputs that change

Both sides are copied to a temporary folder and built the same way, outside git, so
dates taken from commits cannot make every page look changed. The pages that change are
not guessed: they are the outputs of the two builds that differ.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from yipin.build.pipeline import Build, build_site
from yipin.commands.site import config_file, config_option
from yipin.config import Settings, settings_from_mkdocs_yml
from yipin.content.fields import fields_of
from yipin.content.models import Case, Street
from yipin.content.reader import FieldPath, dotted
from yipin.content.validate import validate_content
from yipin.errors import ContentErrors, MachineError, YipinError

__all__ = ["FieldChange", "OutputChange", "RecordChange", "Review", "add_parser", "render_text", "review", "run_diff"]

SHOWN = 80          # characters of a value shown in the text report
LISTED = 40         # output files listed in the text report


@dataclass(frozen=True)
class FieldChange:
    path: str               # dotted field path, e.g. story.practices[0].title
    title: str              # the field's Chinese title
    old: Any
    new: Any
    summary: str = ""       # for Markdown: how much changed, instead of the text


@dataclass(frozen=True)
class RecordChange:
    kind: str               # case | street
    id: str
    change: str             # added | removed | changed
    name: str
    status: str             # published | draft (street profiles: published)
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class OutputChange:
    path: str               # site-relative output path
    change: str             # added | removed | changed
    label: str = ""         # what the page is, for pages


@dataclass(frozen=True)
class Review:
    ref: str
    records: tuple[RecordChange, ...]
    pages: tuple[OutputChange, ...]
    files: tuple[OutputChange, ...]
    note: str = ""          # why pages could not be compared, if they could not


def add_parser(commands: Any) -> None:
    diff = commands.add_parser("diff", help="列出与某个 git 版本相比，哪些案例和页面有改动（供审核）")
    config_option(diff)
    diff.add_argument("ref", help="比较的 git 版本，如 main、origin/main、HEAD~1")
    diff.add_argument("--format", choices=["text", "json"], default="text", help="输出格式（默认 text）")
    diff.set_defaults(run=lambda args: run_diff(config_file(args), args.ref, args.format))


def run_diff(config_file: Path, ref: str, output: str = "text") -> int:
    settings = settings_from_mkdocs_yml(config_file)
    try:
        validate_content(settings.content)
        result = review(settings, ref)
    except ContentErrors as exc:
        sys.stdout.write("".join(f"{e}\n" for e in exc.errors))
        print(f"工作区的内容有 {len(exc.errors)} 个问题，先改正再比较。", file=sys.stderr)
        return exc.exit_code
    except YipinError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code if isinstance(exc, MachineError) else 2  # else: a ref that is no version
    sys.stdout.write(json.dumps(asdict(result), ensure_ascii=False, indent=2) + "\n" if output == "json"
                     else render_text(result))
    return 0


def review(settings: Settings, ref: str) -> Review:
    with tempfile.TemporaryDirectory(prefix="yipin-diff-") as tmp:
        old_dir, new_dir = Path(tmp) / "old" / "content", Path(tmp) / "new" / "content"
        _export_ref(settings.content, ref, old_dir)
        _link_tree(settings.content, new_dir)
        try:
            old = validate_content(old_dir)
        except ContentErrors as exc:
            raise YipinError(f"{ref} 里的内容没有通过检查（{len(exc.errors)} 个问题），无法比较：\n"
                             + "\n".join(str(e).replace(str(old_dir), f"{ref}:content") for e in exc.errors[:10])) from None
        new = validate_content(new_dir)
        records = (*_records("case", Case, old.cases, new.cases), *_records("street", Street, old.streets, new.streets))
        try:
            before, after = build_site(replace(settings, content=old_dir)), build_site(replace(settings, content=new_dir))
        except YipinError as exc:
            return Review(ref, records, (), (), note=f"无法生成其中一边的网站，页面没有比较：{exc}")
    pages = tuple(OutputChange(p, c, _page_label(p, after if c != "removed" else before))
                  for p, c in sorted(_changed(before.pages, after.pages), key=lambda pc: _url(pc[0])))
    files = tuple(OutputChange(p, c) for p, c in _changed(before.files, after.files))
    return Review(ref, records, pages, files)


def render_text(result: Review) -> str:
    lines: list[str] = []
    if not result.records and not result.pages and not result.files:
        return f"与 {result.ref} 相比，内容和网站都没有改动。\n"
    counts = {c: sum(r.change == c for r in result.records) for c in ("added", "removed", "changed")}
    lines.append(f"与 {result.ref} 相比：新增 {counts['added']} 个、删除 {counts['removed']} 个、"
                 f"修改 {counts['changed']} 个案例或街道档案。")
    for record in result.records:
        lines.append("")
        lines.append(_record_heading(record))
        for change in record.fields:
            lines.append(f"    {change.path}（{change.title}）：{_change_text(change)}")
    if result.note:
        lines += ["", result.note]
    if result.pages:
        lines += ["", f"网站上会变化的页面（{len(result.pages)} 个）："]
        lines += [f"    {_url(p.path):<36} {p.label}{_MARK[p.change]}" for p in result.pages]
    if result.files:
        lines += ["", f"会变化的数据、订阅和其他文件（{len(result.files)} 个）："]
        lines += [f"    /{f.path}{_MARK[f.change]}" for f in result.files[:LISTED]]
        if len(result.files) > LISTED:
            lines.append(f"    ……另有 {len(result.files) - LISTED} 个（完整列表用 --format json）")
    return "\n".join(lines) + "\n"


# -- the two sides ---------------------------------------------------------------------

def _git(cwd: Path, *args: str) -> bytes:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True).stdout
    except FileNotFoundError:
        raise MachineError("找不到 git 命令：yipin diff 需要安装 git") from None
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", "replace").strip()
        raise YipinError(f"git {' '.join(args[:2])} 失败：{detail}") from None


def _export_ref(content: Path, ref: str, target: Path) -> None:
    """content/ as it was at ``ref``, written to ``target``."""
    top = Path(_git(content, "rev-parse", "--show-toplevel").decode().strip())
    try:
        commit = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    except YipinError:
        raise YipinError(f"找不到 git 版本 {ref}：可以写分支名（如 main）、标签或提交编号") from None
    inside = content.resolve().relative_to(top.resolve()).as_posix()
    if not _git(top, "ls-tree", "--name-only", commit, "--", inside).strip():
        raise YipinError(f"{ref} 里还没有 {inside}/ 文件夹，无法比较")
    archive = _git(top, "archive", "--format=tar", commit, "--", inside)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target.parent / "_archive", filter="data")
    (target.parent / "_archive" / inside).rename(target)


def _link_tree(source: Path, target: Path) -> None:
    """A copy of the working tree's content/ (hard links where the file system allows)."""
    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    shutil.copytree(source, target, copy_function=link)


# -- records, field by field ----------------------------------------------------------

def _records(kind: str, model: type[BaseModel], old: tuple, new: tuple) -> Iterator[RecordChange]:
    before = {loaded.id: loaded.record for loaded in old}
    after = {loaded.id: loaded.record for loaded in new}
    for record_id in sorted(before.keys() | after.keys()):
        a, b = before.get(record_id), after.get(record_id)
        current = b if b is not None else a
        name = current.brand.name if isinstance(current, Case) else current.name
        status = getattr(current, "status", "published")
        if a is None or b is None:
            yield RecordChange(kind, record_id, "added" if a is None else "removed", name, status)
            continue
        fields = tuple(_field_changes(model, _dump(a), _dump(b)))
        if fields:
            yield RecordChange(kind, record_id, "changed", name, status, fields)


def _dump(record: BaseModel) -> dict[str, Any]:
    return record.model_dump(mode="json", by_alias=True, exclude_none=True)


def _field_changes(model: type[BaseModel], old: dict[str, Any], new: dict[str, Any]) -> Iterator[FieldChange]:
    before, after = dict(_leaves(model, old)), dict(_leaves(model, new))
    for loc in sorted(before.keys() | after.keys(), key=lambda loc: _order(model, loc)):
        (spec_a, a), (spec_b, b) = before.get(loc, (None, None)), after.get(loc, (None, None))
        if a == b:
            continue
        spec = spec_b or spec_a
        summary = _prose_summary(a, b) if spec.kind == "markdown" else ""
        yield FieldChange(dotted(loc), spec.title, None if summary else a, None if summary else b, summary)


def _leaves(model: type[BaseModel], data: Mapping[str, Any], loc: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    """(field path, (spec, value)) for every value; a list of words is one value."""
    for spec in fields_of(model):
        if spec.key not in data:
            continue
        value = data[spec.key]
        if spec.model and spec.many:
            for i, item in enumerate(value):
                yield from _leaves(spec.model, item, (*loc, spec.key, i))
        elif spec.model:
            yield from _leaves(spec.model, value, (*loc, spec.key))
        else:
            yield (*loc, spec.key), (spec, value)


def _order(model: type[BaseModel], loc: FieldPath) -> tuple:
    """Model field order, then item order."""
    key: list[Any] = []
    for part in loc:
        if isinstance(part, int):
            key.append(part)
            continue
        names = [s.key for s in fields_of(model)]
        spec = fields_of(model)[names.index(part)]
        key.append(names.index(part))
        model = spec.model or model
    return tuple(key)


def _prose_summary(old: str | None, new: str | None) -> str:
    if old is None:
        return f"新写了 {_characters(new)} 字"
    if new is None:
        return f"删去了 {_characters(old)} 字"
    delta = list(difflib.ndiff(old.splitlines(), new.splitlines()))
    added, removed = sum(line.startswith("+ ") for line in delta), sum(line.startswith("- ") for line in delta)
    return f"文字有改动：+{added} 行 −{removed} 行，{_characters(old)} 字 → {_characters(new)} 字"


def _characters(text: str | None) -> int:
    """字数 as Chinese editors count it: every character but spaces and line breaks."""
    return len("".join((text or "").split()))


# -- outputs --------------------------------------------------------------------------

def _changed(before: Mapping[str, bytes], after: Mapping[str, bytes]) -> list[tuple[str, str]]:
    paths = sorted(before.keys() | after.keys())
    return [(p, "added" if p not in before else "removed" if p not in after else "changed")
            for p in paths if before.get(p) != after.get(p)]


def _page_label(path: str, build: Build) -> str:
    site = build.site
    url = _url(path).strip("/")
    named = {**{c.url.rstrip("/"): f"案例：{c.record.brand.name}" for c in site.cases},
             **{p.url.rstrip("/"): f"街道：{p.name}" for p in site.streets},
             **{p.url.rstrip("/"): f"区县：{p.name}" for p in site.districts},
             "": "首页", "cases": "案例库", "districts": "按地区", "guide/fields": "字段说明"}
    return named.get(url, "")


def _url(path: str) -> str:
    """The page's address: 'cases/x/index.md' -> '/cases/x/'."""
    if path.endswith("index.md"):
        return "/" + path.removesuffix("index.md")
    return "/" + path.removesuffix(".md") + ("/" if path.endswith(".md") else "")


# -- text -----------------------------------------------------------------------------

_MARK = {"added": "（新增）", "removed": "（删除）", "changed": ""}
_CHANGE = {"added": "＋ 新增", "removed": "－ 删除", "changed": "✎ 修改"}
_KIND = {"case": "案例", "street": "街道档案"}


def _record_heading(record: RecordChange) -> str:
    draft = "（草稿，不会发布）" if record.status == "draft" else ""
    return f"{_CHANGE[record.change]}{_KIND[record.kind]} {record.id}「{record.name}」{draft}"


def _change_text(change: FieldChange) -> str:
    if change.summary:
        return change.summary
    return f"{_shown(change.old)} → {_shown(change.new)}"


def _shown(value: Any) -> str:
    if value is None:
        return "（无）"
    text = "、".join(map(str, value)) if isinstance(value, list) else str(value)
    if isinstance(value, bool):
        text = "true" if value else "false"
    return text if len(text) <= SHOWN else f"{text[:SHOWN]}……（共 {len(text)} 字）"
