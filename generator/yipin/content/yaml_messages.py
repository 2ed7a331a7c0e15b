"""PyYAML's syntax errors, re-worded in Chinese for people who are not programmers.

Each rule names what staff most likely did (a Tab, a Chinese colon, an unclosed quote,
misaligned indentation) and how to fix it, at the line where the mistake was made: that
is sometimes the *context* mark (where an unclosed quote opened), not the problem mark.
"""

from __future__ import annotations

import re

import yaml

__all__ = ["explain_yaml_error"]

# An English field name followed by a full-width colon: "name：连江".
_CHINESE_COLON = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*\s*：")

_QUOTE_HINT = "请给整段文字加上引号"

# (text in PyYAML's problem or context, code, message, use the context mark)
_RULES: list[tuple[str, str, str, bool]] = [
    ("found character '\\t'", "yaml-tab",
     "这里有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格", False),
    ("while scanning a quoted scalar", "yaml-quote",
     "引号没有闭合：从这里开始的引号到文件末尾都没有结束，请补上配对的引号", True),
    ("found unknown escape character", "yaml-escape",
     "双引号里的反斜杠 \\ 是转义符：改用单引号，或把 \\ 写成 \\\\", False),
    ("while scanning an alias", "yaml-anchor",
     f"以 * 开头的文字会被当作 YAML 别名：{_QUOTE_HINT}", True),
    ("while scanning an anchor", "yaml-anchor",
     f"以 & 开头的文字会被当作 YAML 锚点：{_QUOTE_HINT}", True),
    ("that cannot start any token", "yaml-char",
     f"文字不能以 @、`、% 等符号开头：{_QUOTE_HINT}", False),
    ("mapping values are not allowed here", "yaml-colon",
     "这里不能出现“冒号+空格”：可能是缩进不对；如果文字里本来就有英文冒号，" + _QUOTE_HINT, False),
    ("could not find expected ':'", "yaml-colon",
     "这一行缺少英文冒号：字段名和内容之间要写“: ”（英文冒号加空格）", True),
    ("but found '<scalar>'", "yaml-extra-text",
     "这里多出了文字：可能是引号只括住了一部分内容（引号要括住整段文字），或者缩进不对", False),
    ("expected <block end>", "yaml-indent",
     "缩进不对：这一行和同一级的字段没有对齐，请用空格对齐", False),
    ("did not find expected key", "yaml-indent",
     "缩进不对：这里应该是一个字段名（如 name:），请检查这一行的缩进和冒号", False),
    ("did not find expected '-' indicator", "yaml-indent",
     "列表项没有对齐：每一项都以“- ”开头，并且和同一列表的其他项对齐", False),
    ("while parsing a flow", "yaml-bracket",
     "方括号 [ ] 或花括号 { } 没有配对：请检查这一处的括号和逗号", True),
    ("while scanning a block scalar", "yaml-block",
     "“|” 或 “>” 后面只能换行，多行文字从下一行开始、比字段名多缩进两个空格", False),
    ("expected a single document", "yaml-documents",
     "一个文件里只能有一份记录：请删去 --- 分隔线，把另一份记录放到单独的文件里", False),
]


def explain_yaml_error(exc: yaml.YAMLError, text: str) -> tuple[str, str, int, int]:
    """(code, Chinese message, 1-based line, 1-based column) for a PyYAML error."""
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _line_column(text, exc.position)
        return ("yaml-control-char",
                f"文件里有不可见的控制字符（#x{exc.character:04x}），请删除它（常见于从网页或 Word 粘贴的文字）",
                line, column)
    assert isinstance(exc, yaml.MarkedYAMLError)
    problem_mark = exc.problem_mark or exc.context_mark
    colon_line = _chinese_colon_line(text, problem_mark.line if problem_mark else 0)
    if colon_line is not None:
        return ("yaml-chinese-colon",
                "字段名后面用了中文冒号“：”，请改成英文冒号加空格“: ”", colon_line + 1, 1)
    said = f"{exc.context or ''} {exc.problem or ''}"
    for needle, code, message, at_context in _RULES:
        if needle in said:
            mark = exc.context_mark if at_context and exc.context_mark else problem_mark
            return code, message, mark.line + 1, mark.column + 1
    return ("yaml-syntax", f"YAML 格式错误（{exc.problem or exc.context}），请检查这一行的缩进、冒号和引号",
            problem_mark.line + 1, problem_mark.column + 1)


def _chinese_colon_line(text: str, up_to: int) -> int | None:
    """The last line at or before ``up_to`` (0-based) that uses "key：" for "key: "."""
    lines = text.splitlines()[: up_to + 1]
    for number in range(len(lines) - 1, -1, -1):
        if _CHINESE_COLON.match(lines[number]):
            return number
    return None


def _line_column(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1
