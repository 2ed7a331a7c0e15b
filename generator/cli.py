"""The `yipin` command. Exit codes: 0 clean, 1 content has errors, 2 usage errors, 3 the
machine is the problem (a file may not be read, a tool is missing): errors.py."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import new_case
from .annotations import github_annotations
from .build_cache import BuildCache
from .errors import ContentError, ContentErrors, YipinError
from .image_check import ImageChecker
from .models import Taxonomy
from .outputs import Outputs, write_tree
from .pipeline import build_site
from .reader import read_document
from .schema import build_schemas, render_schema
from .settings import Settings, settings_from_mkdocs_yml
from .signals import sigterm_interrupts
from .validate import TAXONOMY_FILE, validate_content, validate_document

__all__ = ["main"]

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA_DIR = REPO / "schema"


def find_content(start: Path | None = None) -> Path:
    """content/ of the site repository around the working directory (like git finds its
    root), else the content/ of the repository this package was installed from."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "content").is_dir() and (folder / "mkdocs.yml").is_file():
            return folder / "content"
    return REPO / "content"

FORMATS: dict[str, Callable[[list[ContentError]], str]] = {
    "text": lambda errors: "".join(f"{e}\n" for e in errors),
    "json": lambda errors: json.dumps({"errors": [e.as_dict() for e in errors]}, ensure_ascii=False, indent=2) + "\n",
    "github": github_annotations,
}


INTERRUPTED_EXIT = 130  # as a shell reports a command stopped by Ctrl-C


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return 2
    restore = sigterm_interrupts()
    try:
        return args.run(args)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: staging folders and child processes are gone by now
        print("已停止，网站没有更新。", file=sys.stderr)
        return INTERRUPTED_EXIT
    finally:
        restore()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yipin", description="一品：一社区一品牌 案例网站生成器")
    commands = parser.add_subparsers(title="命令", metavar="COMMAND")

    check = commands.add_parser("check", help="检查 content/ 下的所有内容，列出全部错误")
    _content_option(check)
    check.add_argument("--format", choices=sorted(FORMATS), default="text", help="输出格式（默认 text）")
    check.set_defaults(run=_check)

    schema = commands.add_parser("schema", help="从记录模型生成 JSON Schema（schema/*.schema.json）")
    _content_option(schema)
    schema.add_argument("--out", type=Path, default=DEFAULT_SCHEMA_DIR, help="写入的文件夹（默认 schema/）")
    schema.add_argument("--check", action="store_true", help="只检查已提交的文件是否过期，不写入")
    schema.set_defaults(run=_schema)

    build = commands.add_parser("build", help="检查内容并生成网站（同 mkdocs build --strict）")
    _config_option(build)
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", help="本地预览网站，修改内容后自动刷新（同 mkdocs serve）")
    _config_option(serve)
    serve.add_argument("--addr", default="127.0.0.1:8000", help="预览地址（默认 127.0.0.1:8000）")
    serve.set_defaults(run=_serve)

    export = commands.add_parser("export", help="只输出生成的 Markdown 页面、JSON 和订阅文件到一个文件夹")
    _config_option(export)
    export.add_argument("out", type=Path, help="输出文件夹（整体替换）")
    export.set_defaults(run=_export)

    new = commands.add_parser("new", help="新建一个案例文件（草稿）；在终端里不带参数运行时会逐项提问")
    _content_option(new)
    new_case.add_arguments(new)
    new.set_defaults(run=_new)

    diff = commands.add_parser("diff", help="列出与某个 git 版本相比，哪些案例和页面有改动（供审核）")
    _config_option(diff)
    diff.add_argument("ref", help="比较的 git 版本，如 main、origin/main、HEAD~1")
    diff.add_argument("--format", choices=["text", "json"], default="text", help="输出格式（默认 text）")
    diff.set_defaults(run=_diff)
    return parser


def _config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-f", "--config-file", type=Path, default=None, help="mkdocs.yml 的位置（默认：当前仓库的）")


def _config_file(args: argparse.Namespace) -> Path:
    return args.config_file or find_content().parent / "mkdocs.yml"


def _build(args: argparse.Namespace) -> int:
    from .site_commands import build_with_mkdocs  # MkDocs only for the commands that need it
    return build_with_mkdocs(_config_file(args))


def _serve(args: argparse.Namespace) -> int:
    from .site_commands import serve_with_mkdocs
    return serve_with_mkdocs(_config_file(args), args.addr)


def _export(args: argparse.Namespace) -> int:
    settings = settings_from_mkdocs_yml(_config_file(args))
    try:
        build = build_site(settings)
    except ContentErrors as exc:
        sys.stdout.write(FORMATS["text"](exc.errors))
        return exc.exit_code
    except YipinError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    everything = Outputs()
    everything.update_from(build.pages)
    everything.update_from(build.files)  # image variants stay files in the cache until written
    write_tree(everything, args.out)
    print(f"已输出 {len(build.pages)} 个页面和 {len(build.files)} 个文件到 {args.out}", file=sys.stderr)
    return 0


def _content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=None, help="内容文件夹（默认：当前仓库的 content/）")


def _check(args: argparse.Namespace) -> int:
    try:
        folder = args.content or find_content()
        settings = _check_settings(folder)
        content = validate_content(folder, ImageChecker.for_settings(settings), BuildCache(settings.build_cache_dir))
    except ContentErrors as exc:
        sys.stdout.write(FORMATS[args.format](exc.errors))
        if args.format != "json":
            print(f"发现 {len(exc.errors)} 个问题。", file=sys.stderr)
        return exc.exit_code
    if args.format == "json":
        sys.stdout.write(FORMATS["json"]([]))
    else:
        print(f"检查通过：{len(content.cases)} 个案例（{len(content.published)} 个发布），"
              f"{len(content.streets)} 个街道档案。", file=sys.stderr)
    return 0


def _check_settings(content: Path) -> Settings:
    """The site's image limit and caches when content/ sits beside its mkdocs.yml."""
    config = content.parent / "mkdocs.yml"
    try:
        settings = settings_from_mkdocs_yml(config) if config.is_file() else Settings(content=content)
    except YipinError:  # `yipin build` reports a broken mkdocs.yml; checking content goes on
        settings = Settings(content=content)
    return settings


def _new(args: argparse.Namespace) -> int:
    interactive = sys.stdin.isatty() and not new_case.answered(args)
    return new_case.run(args, args.content or find_content(), interactive)


def _diff(args: argparse.Namespace) -> int:
    from .diff import run_diff  # git and two builds: only for this command
    return run_diff(_config_file(args), args.ref, args.format)


def _schema(args: argparse.Namespace) -> int:
    taxonomy = None
    path = (args.content or find_content()) / TAXONOMY_FILE
    if path.is_file():
        doc, errors = read_document(path)
        taxonomy, more = validate_document(doc, Taxonomy) if not errors else (None, [])
        if errors or more:
            sys.stdout.write(FORMATS["text"](errors + more))
            return 1
    stale = []
    for filename, schema in build_schemas(taxonomy).items():
        target, text = args.out / filename, render_schema(schema)
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        stale.append(target)
        if not args.check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    for target in stale:
        print(f"{'已过期' if args.check else '已更新'}：{target}", file=sys.stderr)
    return 1 if args.check and stale else 0
