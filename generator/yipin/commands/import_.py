"""`yipin import`: what staff already have, brought into the records.

``yipin import activities SHEET --case ID`` appends the activities of an Excel, WPS or CSV
plan to a case (yipin/imports/activities.py); ``yipin import article FILE`` writes a draft
case from a Word, saved WeChat or text article, as `yipin new` writes one, with the article
as its source and its paragraphs as comments (yipin/imports/article.py).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Any

from yipin.commands.new import apply_answer, blank_record, existing_case, load_taxonomy, record_text, report_written
from yipin.commands.site import config_option, content_option, site_settings
from yipin.content.models import ID_PATTERN
from yipin.errors import ContentError, ContentErrors, UsageError, display_path
from yipin.imports.activities import plan_import
from yipin.imports.article import MARK, place, read_article, source_record, with_paragraphs
from yipin.imports.columns import ROLES, parse_columns
from yipin.render.starter import TODO
from yipin.utils.files import write_atomic, write_new

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
    command = commands.add_parser("import", help="导入已有的材料：活动表格（Excel、WPS、CSV）或文章（Word、公众号网页、文本）")
    kinds = command.add_subparsers(title="导入什么", metavar="KIND")
    command.set_defaults(run=lambda args: _help(command))

    sheet = kinds.add_parser("activities", help="把活动表格里的活动加进一个案例")
    sheet.add_argument("sheet", type=Path, metavar="SHEET", help="活动表格：.xlsx、.xls、.ods 或 .csv（UTF-8 或 GBK）")
    sheet.add_argument("--case", required=True, metavar="ID", help="加进哪个案例：content/cases/ 里案例的编号（文件名）")
    sheet.add_argument("--dry-run", action="store_true", help="只显示要添加的内容，不写入文件")
    sheet.add_argument("--columns", metavar="MAPPING",
                       help="表头和默认的不一样时指定列名，如 标题=活动内容,地点=场所；左边可写 "
                            + "、".join(role.label for role in ROLES))
    config_option(sheet)
    content_option(sheet)
    sheet.set_defaults(run=run_activities)

    article = kinds.add_parser("article", help="从一篇文章生成案例草稿，来源已填好，段落作为注释")
    article.add_argument("file", type=Path, metavar="FILE", help="文章：Word 的 .docx、保存的公众号网页 .html 或 .txt")
    article.add_argument("--id", metavar="ID", help="新案例的编号（也是文件名），如 zhouxin-lianjiang；"
                                                    "不写时取文章文件名（只用字母和数字时）")
    config_option(article)
    content_option(article)
    article.set_defaults(run=run_article)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_activities(args: argparse.Namespace) -> int:
    content = site_settings(args).content
    columns = parse_columns(args.columns)
    try:
        taxonomy = load_taxonomy(content)
        case_path = _case_file(content, args.case)
        plan = plan_import(args.sheet, case_path, taxonomy, columns)
    except ContentErrors as exc:
        sys.stdout.write("".join(f"{e}\n" for e in exc.errors))
        print(f"发现 {len(exc.errors)} 个问题，没有导入任何活动。", file=sys.stderr)
        return exc.exit_code
    for note in plan.notes:
        print(note, file=sys.stderr)
    shown = display_path(case_path)
    skipped = f"，跳过 {plan.skipped} 项案例里已有的活动（名称和开始时间相同）" if plan.skipped else ""
    if not plan.added:
        print(f"没有新活动{skipped}：{shown} 没有改动。", file=sys.stderr)
        return 0
    if args.dry_run:
        sys.stdout.write(plan.text)
        print(f"试运行：将向 {shown} 添加 {len(plan.added)} 项活动{skipped}；没有写入。", file=sys.stderr)
        return 0
    write_atomic(Path(os.path.realpath(case_path)), plan.data)  # a linked record stays linked
    print(f"已向 {shown} 添加 {len(plan.added)} 项活动{skipped}。下一步：运行 yipin check，再用 yipin serve 预览。",
          file=sys.stderr)
    return 0


def _case_file(content: Path, case_id: str) -> Path:
    if not re.match(ID_PATTERN, case_id):
        raise UsageError(f"--case {case_id}：案例编号只用小写字母、数字和连字符，即 content/cases/ 里的文件名（不带 .yaml）")
    found = existing_case(content / "cases" / f"{case_id}.yaml")
    if found is None:
        raise ContentErrors([ContentError(display_path(content / "cases"), 1, 1, "", "no-case",
                                          f"找不到案例 {case_id}：--case 后面写 content/cases/ 里已有案例的编号（文件名），"
                                          "新案例先用 yipin new 建好")])
    return found


def run_article(args: argparse.Namespace) -> int:
    content = site_settings(args).content
    try:
        taxonomy = load_taxonomy(content)
        article = read_article(args.file)
    except ContentErrors as exc:
        sys.stdout.write("".join(f"{e}\n" for e in exc.errors))
        return exc.exit_code
    case_id = args.id or _id_from_name(args.file)
    if not case_id:
        raise UsageError("请用 --id 指定新案例的编号（也是文件名），如 --id zhouxin-lianjiang")
    record = blank_record(taxonomy)
    problem = apply_answer(record, ("id",), case_id, taxonomy)
    if problem:
        raise UsageError(f"--id: {problem}")
    record.pop("id")
    target = content / "cases" / f"{case_id}.yaml"
    taken = existing_case(target)
    if taken:
        print(f"{display_path(taken)} 已经存在，没有覆盖：用 --id 换一个编号。", file=sys.stderr)
        return 1
    record["sources"] = [source_record(article)]
    placed = place(article.paragraphs)
    if article.author:
        placed.setdefault(("sources",), []).insert(0, f"作者：{article.author}")
    text = with_paragraphs(_header(record_text(record, None, taxonomy), args.file), placed)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_new(target, text.encode("utf-8"))  # never over a file that appeared meanwhile, or a link
    except FileExistsError:
        print(f"{display_path(target)} 已经存在，没有覆盖：用 --id 换一个编号。", file=sys.stderr)
        return 1
    return report_written(content, target)


def _id_from_name(path: Path) -> str:
    """The file's name as an id when it is one already, give or take case and separators."""
    stem = path.stem.lower().replace("_", "-").replace(" ", "-")
    return stem if re.match(ID_PATTERN, stem) else ""


def _header(text: str, source: Path) -> str:
    """`yipin new`'s header, saying what came from the article."""
    lines = text.split("\n")
    lines[2:2] = [f"# 从文章 {source.name} 导入：来源 sources 已按文章填好，请核对；以“{MARK}”开头的注释是文章的段落，",
                  f"#    放在它们可能属于的字段下面：照着它们把“{TODO}”换成内容（事实和数字只写文章里有的），再删去这些注释；"]
    return "\n".join(lines)
