"""Read one YAML content file into plain data, keeping where every value was written.

Staff type these files by hand, so the reader is strict where PyYAML is silently lossy:

* UTF-8 only (a BOM is fine); any other encoding is an error that says how to re-save.
* YAML 1.2 core scalars: only ``true``/``false`` are booleans (``no`` stays text), an
  integer has no leading zero (``0763`` stays text), ``1:30`` is not sexagesimal, and
  dates stay text for the models to parse.
* Duplicate keys are errors naming both lines (PyYAML keeps the last one).
* Anchors and aliases (``&a``/``*a``) are rejected outright: they are never needed in a
  record, a stray ``&`` or ``*`` silently swallows text, and rejecting them at the first
  one makes alias bombs impossible rather than merely bounded.
* Only the standard tags; nothing can construct a Python object.
* Text is what YAML calls printable, escapes included: ``"\\x00"`` or a lone surrogate
  ``"\\ud800"`` is an error here instead of breaking a feed or a page later.
* An integer of more than 19 digits stays text (a number field then says it is too large;
  converting 5,000 digits would raise inside Python).
* The file's size is judged from a stat before it is read, and only regular files are read.

Every value's position (1-based line and column) is kept under its field path, so any
later error can point at the exact place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml: the pure-Python loader alone
    CParser = None

from yipin.content.models.base import FORMAT_MARK
from yipin.content.yaml_messages import explain_yaml_error
from yipin.errors import ContentError, display_path
from yipin.utils.files import file_problem, os_problem, read_bounded

__all__ = ["Document", "FieldPath", "read_document", "read_source", "MAX_FILE_BYTES", "MAX_DEPTH"]

FieldPath = tuple[str | int, ...]

MAX_FILE_BYTES = 1_000_000  # a record is a few KB; anything near this is a mistake
MAX_DEPTH = 40  # records nest four or five levels; deeper is a mistake or an attack

_TAG = "tag:yaml.org,2002:"
_BOM = b"\xef\xbb\xbf"
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Mark:
    line: int
    column: int


@dataclass
class Document:
    """One parsed file: its data and the position of every key and value."""

    path: Path
    data: Any = None
    values: dict[FieldPath, Mark] = field(default_factory=dict)
    keys: dict[FieldPath, Mark] = field(default_factory=dict)
    unread: bool = False  # a record from the build cache: positions are read when an error needs one
    text: str = ""        # the decoded file, to find a snippet inside a long value (find)
    format: int = 1       # the record format the file says it is written for (yipin-format=N)

    @property
    def display(self) -> str:
        return display_path(self.path)

    def mark_of(self, loc: FieldPath, *, key: bool = False) -> Mark:
        """Where a field was written; for a field that is absent, the key of its nearest
        present ancestor (so "missing brand.name" points at ``brand:``)."""
        self._read_positions()
        if key and loc in self.keys:
            return self.keys[loc]
        if loc in self.values:
            return self.values[loc]
        for cut in range(len(loc) - 1, 0, -1):
            parent = loc[:cut]
            if parent in self.keys:
                return self.keys[parent]
            if parent in self.values:
                return self.values[parent]
        return self.values.get((), Mark(1, 1))

    def error(self, loc: FieldPath, code: str, message: str, *, key: bool = False) -> ContentError:
        mark = self.mark_of(loc, key=key)
        return ContentError(self.display, mark.line, mark.column, dotted(loc), code, message)

    def error_at(self, loc: FieldPath, snippet: str, code: str, message: str) -> ContentError:
        """An error at ``snippet`` inside the value of ``loc`` (a line of a long Markdown text),
        or at the value when the snippet is not found as written (escaped, folded)."""
        mark = self.find(loc, snippet)
        return ContentError(self.display, mark.line, mark.column, dotted(loc), code, message)

    def find(self, loc: FieldPath, snippet: str) -> Mark:
        start = self.mark_of(loc)
        following = [m for m in self.values.values() if (m.line, m.column) > (start.line, start.column)]
        end = min(following, key=lambda m: (m.line, m.column), default=None)
        lines = self.text.splitlines()
        for number in range(start.line, (end.line if end else len(lines)) + 1):
            if number > len(lines):
                break
            column = lines[number - 1].find(snippet, start.column - 1 if number == start.line else 0)
            if column >= 0 and (end is None or (number, column + 1) < (end.line, end.column)):
                return Mark(number, column + 1)
        return start

    def _read_positions(self) -> None:
        if self.unread:
            read, _ = read_document(self.path)
            self.values, self.keys, self.text, self.unread = read.values, read.keys, read.text, False


def dotted(loc: FieldPath) -> str:
    """('practices', 0, 'title') -> 'practices[0].title'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _AnchorUsed(yaml.MarkedYAMLError):
    pass


class _TooDeep(yaml.MarkedYAMLError):
    pass


class _Loader(yaml.SafeLoader):
    """SafeLoader's scanner and parser, YAML 1.2 core resolution, no anchors, bounded depth."""

    yaml_implicit_resolvers: dict = {}
    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent) or (
            isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.anchor
        ):
            raise _AnchorUsed(problem="anchor", problem_mark=event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(problem="depth", problem_mark=event.start_mark)
            return Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1


_FastLoader: type | None = None
if CParser is not None:

    class _FastLoader(Composer, CParser, SafeConstructor, Resolver):
        """_Loader's rules over libyaml's scanner and parser, several times faster on the
        thousands of files of a large site. Only for files that parse: a file with any YAML
        error is read again by _Loader, whose messages and positions staff are shown."""

        yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
        _depth = 0
        compose_node = _Loader.compose_node

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)


for _tag, _pattern, _first in [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^[-+]?(?:0|[1-9][0-9]{0,18})$", "-+0123456789"),
    ("float", r"^[-+]?(?:0|[1-9][0-9]*)?\.[0-9]+(?:[eE][-+]?[0-9]+)?$", "-+.0123456789"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    _Loader.add_implicit_resolver(_TAG + _tag, re.compile(_pattern), list(_first))

# YAML's printable characters (YAML 1.2, 5.1): what a file may hold, and so what an escape
# may produce. Outside them: C0 and C1 controls, DEL, lone surrogates, U+FFFE and U+FFFF.
_PRINTABLE = re.compile("[\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")

_SCALARS = {
    _TAG + "str": str,
    _TAG + "int": int,
    _TAG + "float": float,
    _TAG + "bool": lambda v: v.lower() == "true",
    _TAG + "null": lambda v: None,
}


def read_document(path: Path, raw: bytes | None = None) -> tuple[Document, list[ContentError]]:
    """Parse ``path`` (``raw``: its bytes, when the caller has read them with read_source).
    Returns the document (data None when unreadable) and its errors."""
    doc = Document(path)
    if raw is None:
        raw, error = read_source(path)
        if error:
            return doc, [error]
    text, error = _decode(raw, doc.display)
    if error:
        return doc, [error]
    doc.text = text
    doc.format = _format(text)
    try:
        node = _compose(text)
    except yaml.YAMLError as exc:
        return doc, [_yaml_error(exc, text, doc.display)]
    errors: list[ContentError] = []
    doc.data = _build(node, (), doc, errors) if node is not None else None
    return doc, errors


# What to do when a record file cannot be read, by the code of the problem (files.py).
HINTS = {"file-is-folder": "案例文件应是 .yaml 文件，请把文件夹改名或移出",
         "file-not-regular": "请换成普通的 .yaml 文件"}


def read_source(path: Path, within: Path | None = None) -> tuple[bytes, ContentError | None]:
    """The bytes of a record file, or why they cannot be had: outside ``within`` (a link out
    of content/), no regular file, too large (judged before reading), or unreadable."""
    shown = display_path(path)
    problem = file_problem(path, "案例文件", HINTS)
    if problem is None and within is not None and not path.resolve().is_relative_to(within):
        problem = "path-outside", "这个文件是指向 content/ 以外的链接：请把文件本身复制进来，不要用链接"
    if problem is None:
        try:
            size = path.stat().st_size
            raw = b"" if size > MAX_FILE_BYTES else read_bounded(path, MAX_FILE_BYTES)
        except OSError as exc:
            problem = os_problem(exc, path, HINTS)
    if problem:
        return b"", ContentError(shown, 1, 1, "", *problem)
    if size > MAX_FILE_BYTES or len(raw) > MAX_FILE_BYTES:
        return b"", _too_large(shown, max(size, len(raw)))
    return raw, None


def _too_large(shown: str, size: int) -> ContentError:
    return ContentError(
        shown, 1, 1, "", "file-too-large",
        f"文件有 {size} 字节，超过上限 {MAX_FILE_BYTES} 字节：一个案例文件通常只有几千字节，"
        "请检查是否误粘贴了大量内容或图片数据",
    )


_FORMAT = re.compile(rf"^#.*\b{re.escape(FORMAT_MARK)}(\d{{1,4}})\b")


def _format(text: str) -> int:
    """The format a file's opening comments state (its modeline), else the first one."""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        found = _FORMAT.match(line)
        if found:
            return int(found[1])
    return 1


def _compose(text: str) -> Node | None:
    if _FastLoader is not None:
        try:
            return yaml.compose(text, Loader=_FastLoader)
        except yaml.YAMLError:
            pass  # the same file again, for the exact message and position
    return yaml.compose(text, Loader=_Loader)


def _decode(raw: bytes, shown: str) -> tuple[str, ContentError | None]:
    if len(raw) > MAX_FILE_BYTES:
        return "", _too_large(shown, len(raw))
    if raw.startswith(_UTF16_32_BOMS):
        return "", ContentError(
            shown, 1, 1, "", "encoding",
            "文件是 UTF-16 编码，Yipin 只读 UTF-8：请在编辑器中“另存为”，编码选择“UTF-8”",
        )
    raw = raw.removeprefix(_BOM)
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return "", ContentError(shown, line, column, "", "encoding", _encoding_advice(raw))


def _encoding_advice(raw: bytes) -> str:
    try:
        raw.decode("gb18030")
        guess = "看起来是 GBK/GB18030（简体中文 Windows 的旧默认编码）"
    except UnicodeDecodeError:
        guess = "无法识别它的编码"
    return (
        f"文件不是 UTF-8 编码，{guess}。请用 UTF-8 重新保存："
        "记事本选“另存为”并把编码选为“UTF-8”；VS Code 点右下角的编码名，选“通过编码保存”→“UTF-8”"
    )


def _yaml_error(exc: yaml.YAMLError, text: str, shown: str) -> ContentError:
    if isinstance(exc, _AnchorUsed):
        mark = exc.problem_mark
        return ContentError(
            shown, mark.line + 1, mark.column + 1, "", "yaml-anchor",
            "不支持 YAML 锚点和别名（以 & 或 * 开头）：请把内容直接写出来；"
            "如果文字本身以 & 或 * 开头，请给整段文字加引号",
        )
    if isinstance(exc, _TooDeep):
        mark = exc.problem_mark
        return ContentError(
            shown, mark.line + 1, mark.column + 1, "", "yaml-depth",
            f"嵌套超过 {MAX_DEPTH} 层：案例文件不需要这么深的结构，请检查缩进",
        )
    code, message, line, column = explain_yaml_error(exc, text)
    return ContentError(shown, line, column, "", code, message)


def _build(node: Node, loc: FieldPath, doc: Document, errors: list[ContentError]) -> Any:
    doc.values[loc] = Mark(node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, ScalarNode):
        convert = _SCALARS.get(node.tag)
        if convert is None:
            errors.append(doc.error(loc, "yaml-tag", f"不支持 YAML 标签 {_short_tag(node.tag)}：请删去它，直接写内容"))
            return node.value
        if node.tag == _TAG + "str" and not _PRINTABLE.fullmatch(node.value):
            bad = next(ch for ch in node.value if not _PRINTABLE.fullmatch(ch))
            errors.append(doc.error(loc, "control-char",
                                    f"文字里有不能显示的字符 {ascii(bad)[1:-1]}（多半来自引号里的转义，"
                                    "如 \"\\x00\"、\"\\ud800\"）：请删去它"))
        return convert(node.value.replace("_", "") if node.tag == _TAG + "int" else node.value)
    if isinstance(node, SequenceNode):
        if node.tag != _TAG + "seq":
            errors.append(doc.error(loc, "yaml-tag", f"不支持 YAML 标签 {_short_tag(node.tag)}：请删去它，直接写内容"))
        return [_build(item, loc + (i,), doc, errors) for i, item in enumerate(node.value)]
    assert isinstance(node, MappingNode)
    if node.tag != _TAG + "map":
        errors.append(doc.error(loc, "yaml-tag", f"不支持 YAML 标签 {_short_tag(node.tag)}：请删去它，直接写内容"))
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key_mark = Mark(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if not isinstance(key_node, ScalarNode):
            errors.append(ContentError(doc.display, key_mark.line, key_mark.column, dotted(loc),
                                       "yaml-key", "字段名必须是一个词，不能是列表或嵌套结构"))
            continue
        key = key_node.value
        if key == "<<":
            errors.append(ContentError(doc.display, key_mark.line, key_mark.column, dotted(loc),
                                       "yaml-anchor", "不支持 YAML 合并键 <<：请把内容直接写出来"))
            continue
        child = loc + (key,)
        if key in result:
            first = doc.keys[child]
            errors.append(ContentError(
                doc.display, key_mark.line, key_mark.column, dotted(child), "duplicate-key",
                f"字段 {key} 写了两次（第 {first.line} 行和第 {key_mark.line} 行），"
                "YAML 只会保留后一个：请删去或合并其中一个",
            ))
            continue
        doc.keys[child] = key_mark
        result[key] = _build(value_node, child, doc, errors)
    return result


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag
