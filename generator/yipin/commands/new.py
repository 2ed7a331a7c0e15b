"""`yipin new`: a new case file, complete and commented, that passes `yipin check` as it is.

In a terminal without answer flags it asks, in Chinese, the few things a file needs
(id, brand, community, kind, region, themes), checking each answer with the same rules
as `yipin check`; in scripts the flags give the answers and the rest stays a placeholder
(（待填写）). `--from <case id>` starts from another case's starter (starter.py): the
method kept, the place and facts blanked; `--from <case page address>` from the starter
another site publishes next to its case page. Either way the new case says it learnt from
that case (inspired_by). The file is a draft and never overwrites one.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from yipin.commands.site import config_option, content_option, site_settings
from yipin.content.annotated_yaml import annotated_yaml
from yipin.content.fields import FieldSpec, field_at
from yipin.content.messages import translate
from yipin.content.models import KIND_LABELS, Case, Taxonomy
from yipin.content.reader import MAX_FILE_BYTES, Document, FieldPath, dotted, read_document
from yipin.content.schema import modeline_for
from yipin.content.validate import SUFFIXES, validate_content, validate_document
from yipin.content.validate import _load_taxonomy as read_taxonomy
from yipin.errors import ContentError, ContentErrors, display_path
from yipin.network.fetch import fetch
from yipin.render.starter import TODO, starter_record, summary_placeholder
from yipin.utils.files import write_new

__all__ = ["QUESTIONS", "add_parser", "add_arguments", "answered", "apply_answer", "blank_record", "existing_case",
           "load_taxonomy", "record_text", "report_written", "run", "run_command"]

Ask = Callable[[str], str]


@dataclass(frozen=True)
class Question:
    loc: FieldPath
    flag: str
    hint: str = ""        # shown instead of the field's description where that reads oddly in a question

    @property
    def spec(self) -> FieldSpec:
        spec = field_at(Case, self.loc)
        assert spec is not None, self.loc
        return spec

    @property
    def dest(self) -> str:
        return self.flag.removeprefix("--")


QUESTIONS = (
    Question(("id",), "--id", "也是文件名和网址的一部分，只用小写字母、数字和连字符，如 zhouxin-lianjiang"),
    Question(("brand", "name"), "--name"),
    Question(("community", "name"), "--community"),
    Question(("community", "kind"), "--kind"),
    Question(("community", "region", "province"), "--province"),
    Question(("community", "region", "city"), "--city"),
    Question(("community", "region", "district"), "--district"),
    Question(("community", "region", "street"), "--street"),
    Question(("themes",), "--themes", "用顿号或逗号分开，可以写序号"),
)


def add_parser(commands: Any) -> None:
    new = commands.add_parser("new", help="新建一个案例文件（草稿）；在终端里不带参数运行时会逐项提问")
    config_option(new)
    content_option(new)
    add_arguments(new)
    new.set_defaults(run=run_command)


def run_command(args: argparse.Namespace) -> int:
    interactive = sys.stdin.isatty() and not answered(args)
    return run(args, site_settings(args).content, interactive)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="source", metavar="CASE",
                        help="照着这个案例做：本站案例的编号，或其他网站案例页面的网址；"
                             "保留做法和可复制要点，清空地区、联系方式和事实，并记下借鉴自它")
    for question in QUESTIONS:
        spec = question.spec
        parser.add_argument(question.flag, dest=question.dest, metavar=question.dest.upper(),
                            help=f"{spec.title}：{question.hint or spec.description}")


def run(args: argparse.Namespace, content: Path, interactive: bool, ask: Ask = input) -> int:
    try:
        taxonomy = load_taxonomy(content)
        record = _starting_record(content, args.source, taxonomy)
        answers = {q.loc: getattr(args, q.dest) for q in QUESTIONS if getattr(args, q.dest) is not None}
        for loc, text in answers.items():
            problem = apply_answer(record, loc, text, taxonomy)
            if problem:
                print(f"{_question(loc).flag}: {problem}", file=sys.stderr)
                return 2
        if interactive:
            _interview(record, taxonomy, content, ask)
    except ContentErrors as exc:
        sys.stdout.write("".join(f"{e}\n" for e in exc.errors))
        return 1
    except (EOFError, KeyboardInterrupt):
        print("\n已取消，没有写入文件。", file=sys.stderr)
        return 1
    case_id = record.pop("id", None)
    if case_id is None:
        print("请用 --id 指定新案例的编号（也是文件名），如 --id zhouxin-lianjiang", file=sys.stderr)
        return 2
    target = content / "cases" / f"{case_id}.yaml"
    taken = existing_case(target)
    if taken:
        print(f"{display_path(taken)} 已经存在，没有覆盖：换一个编号，或者直接编辑这个文件。", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    write_new(target, record_text(record, args.source, taxonomy).encode("utf-8"))
    return report_written(content, target)


def load_taxonomy(content: Path) -> Taxonomy:
    errors: list[ContentError] = []
    taxonomy = read_taxonomy(content, errors)   # read and checked as `yipin check` does
    if taxonomy is None:
        raise ContentErrors(errors)
    return taxonomy


def _starting_record(content: Path, source: str | None, taxonomy: Taxonomy) -> dict[str, Any]:
    if source is None:
        return blank_record(taxonomy)
    if source.startswith(("http://", "https://")):
        return _remote_starter(source, taxonomy)
    path = next((content / "cases" / f"{source}{s}" for s in sorted(SUFFIXES)
                 if (content / "cases" / f"{source}{s}").is_file()), None)
    if path is None:
        raise ContentErrors([ContentError(display_path(content / "cases"), 1, 1, "", "no-case",
                                          f"找不到案例 {source}：--from 后面写 content/cases/ 里已有案例的编号（文件名）")])
    doc, errors = read_document(path)
    case, more = validate_document(doc, Case, {"taxonomy": taxonomy}) if not errors else (None, [])
    if case is None:
        raise ContentErrors(errors + more)
    return starter_record(case, source)


def _remote_starter(address: str, taxonomy: Taxonomy) -> dict[str, Any]:
    """The starter another site publishes next to a case page (cases/<id>/starter.yaml),
    kept to this site's vocabulary, and citing that page."""
    page = address.split("#")[0].split("?")[0].removesuffix("index.html")
    page = page if page.endswith("/") else page + "/"
    shown = page + "starter.yaml"
    answer = fetch(shown, max_bytes=MAX_FILE_BYTES)
    if answer.body is None:
        raise ContentErrors([ContentError(shown, 1, 1, "", "no-starter",
                                          f"读不到这个案例的起步模板（{answer.problem}）：--from 后面写案例页面的网址，"
                                          "如 https://example.gov.cn/cases/zhouxin-lianjiang/")])
    doc, errors = read_document(Path("starter.yaml"), answer.body)
    if errors or not isinstance(doc.data, dict):
        errors = [replace(e, file=shown) for e in errors]   # named by its address, not as a file here
        raise ContentErrors(errors or [ContentError(shown, 1, 1, "", "no-starter", "这不是 Yipin 网站的起步模板")])
    record = {**blank_record(taxonomy), **{k: v for k, v in doc.data.items() if k in Case.model_fields}}
    for name in ("themes", "groups"):  # another site's vocabulary: keep the words this one has too
        ours = {t.term for t in getattr(taxonomy, name)}
        kept = [word for word in record.get(name) or () if isinstance(word, str) and word in ours]
        record[name] = kept or blank_record(taxonomy).get(name, [])
    record["status"], record["inspired_by"] = "draft", page
    record = {k: v for k, v in record.items() if v != []}
    try:
        Case.model_validate(record, context={"taxonomy": taxonomy})
    except ValidationError as exc:
        raise ContentErrors([replace(e, file=shown) for e in translate(exc, doc, Case)]) from None
    return record


def blank_record(taxonomy: Taxonomy) -> dict[str, Any]:
    return {
        "status": "draft",
        "brand": {"name": f"{TODO}品牌名称"},
        "community": {"name": f"{TODO}社区名称", "kind": next(iter(KIND_LABELS)),
                      "region": {"province": TODO, "city": TODO, "district": TODO, "street": TODO}},
        "summary": summary_placeholder(),
        "themes": [taxonomy.themes[0].term],
        "story": {
            "background": f"{TODO}为什么做这个品牌：面对的问题和居民的需求。",
            "practices": [{"title": f"{TODO}第一项做法", "body": f"{TODO}这项做法的经过：谁、在哪里、怎么做的。"}],
            "outcomes": f"{TODO}做成了什么，用数字和居民的反馈说明。",
        },
    }


def _interview(record: dict[str, Any], taxonomy: Taxonomy, content: Path, ask: Ask) -> None:
    print("新建案例：回答几个问题（直接回车可以跳过，稍后在文件里填写；按 Ctrl+C 取消）。", file=sys.stderr)
    for question in QUESTIONS:
        if question.loc[-1] == "street" and record["community"]["kind"] == "district":
            continue
        spec = question.spec
        print(f"\n{spec.title}：{question.hint or spec.description}", file=sys.stderr)
        for line in _menu(question, taxonomy):
            print(f"  {line}", file=sys.stderr)
        while True:
            text = ask("> ").strip()
            if not text and question.loc != ("id",):
                break
            problem = apply_answer(record, question.loc, text, taxonomy) if text else "编号必须填写：它是文件名"
            if problem is None and question.loc == ("id",) and existing_case(content / "cases" / f"{text}.yaml"):
                problem = f"编号 {text} 已被使用：请换一个"
                record.pop("id")
            if problem is None:
                break
            print(f"  {problem}", file=sys.stderr)


def _menu(question: Question, taxonomy: Taxonomy) -> list[str]:
    if question.loc == ("community", "kind"):
        return [f"{i}. {value} {label}" for i, (value, label) in enumerate(KIND_LABELS.items(), 1)]
    if question.spec.kind == "term":
        words = [f"{i}. {t.term}" for i, t in enumerate(getattr(taxonomy, question.loc[-1]), 1)]
        return ["  ".join(words[row:row + 6]) for row in range(0, len(words), 6)]
    return []


def apply_answer(record: dict[str, Any], loc: FieldPath, text: str, taxonomy: Taxonomy) -> str | None:
    """Put an answer into the record; the Chinese problem with it, as `yipin check` words it."""
    value = _parse(_question(loc), text, taxonomy)
    trial = copy.deepcopy(record)
    _put(trial, loc, value)
    if loc == ("community", "kind"):
        region = trial["community"]["region"]
        region.pop("street", None) if value == "district" else region.setdefault("street", TODO)
    problem = _problem(trial, loc, taxonomy)
    if problem is None:
        record.clear()
        record.update(trial)
    return problem


def _parse(question: Question, text: str, taxonomy: Taxonomy) -> Any:
    """An answer as the record holds it: a menu number or a kind's Chinese label becomes its value."""
    if question.spec.kind == "term":
        terms = [t.term for t in getattr(taxonomy, question.loc[-1])]
        words = [word for word in re.split(r"[、,，;；\s]+", text) if word]
        return [terms[int(w) - 1] if w.isdigit() and 1 <= int(w) <= len(terms) else w for w in words]
    if question.loc == ("community", "kind"):
        kinds = list(KIND_LABELS)
        by_label = {label: value for value, label in KIND_LABELS.items()}
        return kinds[int(text) - 1] if text.isdigit() and 1 <= int(text) <= len(kinds) else by_label.get(text, text)
    return text


def _problem(record: dict[str, Any], loc: FieldPath, taxonomy: Taxonomy) -> str | None:
    try:
        Case.model_validate(record, context={"taxonomy": taxonomy})
    except ValidationError as exc:
        for error in translate(exc, Document(Path("answer.yaml")), Case):
            if error.field == dotted(loc) or error.field.startswith(dotted(loc) + "["):
                return error.message
    return None


def _put(record: dict[str, Any], loc: FieldPath, value: Any) -> None:
    target = record
    for part in loc[:-1]:
        target = target.setdefault(part, {})
    target[loc[-1]] = value


def _question(loc: FieldPath) -> Question:
    return next(q for q in QUESTIONS if q.loc == loc)


def existing_case(target: Path) -> Path | None:
    """The case file of ``target``'s id in any suffix; a broken link counts, it is not ours to replace."""
    return next((target.with_suffix(s) for s in sorted(SUFFIXES) if os.path.lexists(target.with_suffix(s))), None)


def record_text(record: dict[str, Any], source: str | None, taxonomy: Taxonomy) -> str:
    header = [
        modeline_for("cases/x.yaml"),
        f"# 新案例（草稿）{'：照着案例 ' + source + ' 做' if source else ''}。以 # 开头的行是说明，不影响内容。",
        f"# 1. 把所有“{TODO}”换成你们自己的内容；用得上的字段，删掉行首的“# ”再填写；",
        "# 2. 随时运行 yipin check 检查；",
        "# 3. 写好来源 sources 和可复制要点 replication，准备发布时把 status 改为 published。",
    ]
    notes = {name: "词表里的词：" + "、".join(t.term for t in getattr(taxonomy, name)) for name in ("themes", "groups")}
    return annotated_yaml(Case, record, header, notes)


def report_written(content: Path, target: Path) -> int:
    try:
        validate_content(content)
    except ContentErrors as exc:
        mine = [e for e in exc.errors if e.file == display_path(target)]
        if mine:
            sys.stdout.write("".join(f"{e}\n" for e in mine))
            print(f"已写入 {display_path(target)}，但它还有上面的问题，请改正。", file=sys.stderr)
            return 1
    print(f"已写入 {display_path(target)}（草稿，不会发布）。下一步：用编辑器打开它，"
          f"把“{TODO}”换成你们的内容，然后运行 yipin check。", file=sys.stderr)
    return 0


def answered(args: argparse.Namespace) -> bool:
    """Whether any answer came as a flag (then nothing is asked)."""
    return any(getattr(args, q.dest) is not None for q in QUESTIONS)
