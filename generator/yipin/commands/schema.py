"""`yipin schema`: the JSON Schemas of a site's record files, generated from the models and
its taxonomy, which editors read through each file's first line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from yipin.commands.formats import FORMATS
from yipin.commands.site import config_option, content_option, site_settings
from yipin.content.models import Taxonomy
from yipin.content.reader import read_document
from yipin.content.schema import build_schemas, render_schema
from yipin.content.validate import TAXONOMY_FILE, validate_document

__all__ = ["add_parser", "write_schemas"]


def add_parser(commands: Any) -> None:
    schema = commands.add_parser("schema", help="从记录模型生成 JSON Schema（网站的 schema/ 文件夹）")
    config_option(schema)
    content_option(schema)
    schema.add_argument("--out", type=Path, default=None, help="写入的文件夹（默认：网站的 schema/）")
    schema.add_argument("--check", action="store_true", help="只检查已提交的文件是否过期，不写入")
    schema.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = site_settings(args)
    taxonomy = None
    path = settings.content / TAXONOMY_FILE
    if path.is_file():
        doc, errors = read_document(path)
        taxonomy, more = validate_document(doc, Taxonomy) if not errors else (None, [])
        if errors or more:
            sys.stdout.write(FORMATS["text"](errors + more))
            return 1
    stale = write_schemas(args.out or settings.root / "schema", taxonomy, check=args.check)
    for target in stale:
        print(f"{'已过期' if args.check else '已更新'}：{target}", file=sys.stderr)
    return 1 if args.check and stale else 0


def write_schemas(folder: Path, taxonomy: Taxonomy | None, *, check: bool = False) -> list[Path]:
    """Write each schema that differs from the file in ``folder`` (with ``check``, only
    list them); returns those that differed."""
    stale = []
    for filename, schema in build_schemas(taxonomy).items():
        target, text = folder / filename, render_schema(schema)
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        stale.append(target)
        if not check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return stale
