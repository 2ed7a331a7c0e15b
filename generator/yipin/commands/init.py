"""`yipin init DIR`: a street's site repository, ready to check, build and serve.

In a terminal it asks, in Chinese, for each setting (every one optional, with a default
built from the answers before it); flags answer instead, and --yes takes every default.
It writes the site's own files only — Yipin itself stays installed apart, pinned by
requirements.txt — and refuses a folder that is not empty unless told (--force), never
overwriting a file there.

    mkdocs.yml             Material + the Yipin plugin, with the answers
    README.md              the two commands staff need, in Chinese
    requirements.txt       this same Yipin: yipin==<version>, or where it was installed from (requirement.py)
    content/               the default taxonomy, a street profile, one example case
    docs/index.md          the home page's opening text
    schema/                the record schemas, for editors' completion
    .gitignore, .pre-commit-config.yaml, .vscode/, and the CI workflow of the forge
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from yipin import __version__
from yipin.commands.requirement import installed_yipin
from yipin.config import CMS_BACKENDS
from yipin.content.annotated_yaml import annotated_yaml
from yipin.content.models import Case, Street, Taxonomy
from yipin.content.reader import read_document
from yipin.content.schema import build_schemas, modeline_for, render_schema
from yipin.content.validate import validate_document
from yipin.errors import UsageError
from yipin.site.places import place_slug
from yipin.templates import CI, SITE
from yipin.utils.files import write_new

__all__ = ["add_parser", "QUESTIONS", "run", "write_site"]

Ask = Callable[[str], str]
CI_FILES = {"github": ("github-actions.yml", ".github/workflows/site.yml"),
            "gitlab": ("gitlab-ci.yml", ".gitlab-ci.yml"),
            "gitea": ("gitea-actions.yml", ".gitea/workflows/site.yml")}
# Files copied as they are: package name → name in the site (dotfiles have no dot in the package).
COPIED = {"gitignore": ".gitignore", "pre-commit-config.yaml": ".pre-commit-config.yaml",
          "vscode/settings.json": ".vscode/settings.json", "vscode/extensions.json": ".vscode/extensions.json",
          "content/taxonomy.yaml": "content/taxonomy.yaml"}
RENDERED = {"mkdocs.yml.j2": "mkdocs.yml", "README.md.j2": "README.md", "requirements.txt.j2": "requirements.txt",
            "docs/index.md.j2": "docs/index.md"}


@dataclass(frozen=True)
class Question:
    key: str
    flag: str
    prompt: str
    default: Callable[[dict[str, str]], str]


QUESTIONS = (
    Question("province", "--province", "省份", lambda a: "示例省"),
    Question("city", "--city", "城市", lambda a: "示例市"),
    Question("district", "--district", "区县", lambda a: "示例区"),
    Question("street", "--street", "街道", lambda a: "示例街道"),
    Question("site_name", "--name", "网站名称", lambda a: f"{a['street']}一社区一品牌"),
    Question("organisation", "--organisation", "主办单位", lambda a: f"{a['street']}办事处"),
    Question("contact", "--contact", "联系方式（办公电话，可不填）", lambda a: ""),
    Question("forge", "--forge", f"代码托管平台（{'、'.join(CMS_BACKENDS)}）", lambda a: "github"),
    Question("site_url", "--site-url", "网站地址（如 https://example.gov.cn/，可不填）", lambda a: ""),
    Question("icp", "--icp", "ICP备案号（可不填）", lambda a: ""),
    Question("police", "--police", "公安备案号（可不填）", lambda a: ""),
)


def add_parser(commands: Any) -> None:
    init = commands.add_parser("init", help="新建一个街道的网站文件夹（在终端里会逐项提问）")
    init.add_argument("folder", type=Path, help="新网站的文件夹")
    for question in QUESTIONS:
        init.add_argument(question.flag, dest=question.key, metavar="文字", help=question.prompt)
    init.add_argument("--yes", "-y", action="store_true", help="不提问，没给的都用默认值")
    init.add_argument("--force", action="store_true", help="文件夹不是空的也写入（已有的文件不覆盖）")
    init.set_defaults(run=run)


def run(args: argparse.Namespace, ask: Ask = input) -> int:
    folder: Path = args.folder
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} 是一个文件，不是文件夹")
    if folder.is_dir() and any(folder.iterdir()) and not args.force:
        raise UsageError(f"文件夹 {folder} 不是空的：换一个新文件夹名，或加 --force 写入（已有的文件不会被覆盖）")
    interactive = sys.stdin.isatty() and not args.yes
    answers = _answers(args, ask if interactive else None)
    written, kept = write_site(folder, answers)
    for path in kept:
        print(f"已有 {path}，没有覆盖", file=sys.stderr)
    requirement = installed_yipin()
    print(f"requirements.txt 写的是本机安装的 {requirement.note}", file=sys.stderr)
    if not requirement.shareable:
        print("同事的电脑和 CI 需要能安装的 Yipin：请把 requirements.txt 里的这一行换成 yipin==版本号 或 git 仓库地址", file=sys.stderr)
    print(f"已在 {folder} 建好网站（{len(written)} 个文件）。下一步：\n"
          f"  cd {folder}\n"
          "  pip install -r requirements.txt   # 安装本网站固定使用的 Yipin 版本（已装好可跳过）\n"
          "  yipin serve                       # 预览；yipin build 生成完整网站到 site/", file=sys.stderr)
    return 0


def _answers(args: argparse.Namespace, ask: Ask | None) -> dict[str, str]:
    answers: dict[str, str] = {}
    for question in QUESTIONS:
        given = getattr(args, question.key)
        default = question.default(answers)
        if given is None and ask is not None:
            given = ask(f"{question.prompt} [{default}]：").strip() or None
        answers[question.key] = (default if given is None else given).strip()
        if question.key == "forge" and answers["forge"] not in CMS_BACKENDS:
            raise UsageError(f"代码托管平台只能是 {'、'.join(CMS_BACKENDS)}，现在是“{answers['forge']}”")
    return answers


def write_site(folder: Path, answers: dict[str, str]) -> tuple[list[Path], list[Path]]:
    """Every file of a new site, from ``answers`` (QUESTIONS' keys); returns the paths
    written and those that existed already and were kept."""
    files = _files(answers) | {f"schema/{name}": render_schema(schema).encode()
                               for name, schema in build_schemas(_taxonomy()).items()}
    written, kept = [], []
    for relative, data in files.items():
        target = folder / relative
        try:  # with --force, whatever is in the way (a file, a link, a file where a folder goes) is kept
            target.parent.mkdir(parents=True, exist_ok=True)
            write_new(target, data)
        except (FileExistsError, NotADirectoryError):
            kept.append(target)
            continue
        written.append(target)
    images = folder / "content" / "images"
    if not os.path.lexists(images):
        images.mkdir()
    return written, kept


def _files(answers: dict[str, str]) -> dict[str, bytes]:
    context = {**answers, "version": __version__, "repo": "your-org/your-site", "requirement": installed_yipin(),
               "site_description": f"{answers['street']}的社区治理品牌：案例、活动与可复制经验",
               "region_text": "".join(answers[k] for k in ("province", "city", "district", "street"))}
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(SITE), keep_trailing_newline=True,
                                     undefined=jinja2.StrictUndefined, autoescape=False)
    environment.filters["yaml"] = _yaml_scalar
    files = {target: environment.get_template(source).render(context).encode() for source, target in RENDERED.items()}
    files |= {target: (SITE / source).read_bytes() for source, target in COPIED.items()}
    source, target = CI_FILES[answers["forge"]]
    files[target] = (CI / source).read_bytes()
    street = place_slug(answers["street"])
    files[f"content/streets/{street}.yaml"] = _street(answers).encode()
    files[f"content/cases/{street}-example.yaml"] = _example_case(answers).encode()
    return files


def _yaml_scalar(value: str) -> str:
    """A value as one YAML scalar: a JSON string is a double-quoted YAML one."""
    return json.dumps(value, ensure_ascii=False)


def _taxonomy() -> Taxonomy:
    doc, errors = read_document(SITE / "content" / "taxonomy.yaml")
    taxonomy, more = validate_document(doc, Taxonomy)
    assert taxonomy is not None and not errors and not more, "the default taxonomy is valid"
    return taxonomy


def _region(answers: dict[str, str], *, street: bool = True) -> dict[str, str]:
    keys = ("province", "city", "district", *(("street",) if street else ()))
    return {key: answers[key] for key in keys}


def _street(answers: dict[str, str]) -> str:
    record = {"name": answers["street"], "region": _region(answers, street=False),
              "intro": f"{answers['street']}的介绍（示例）：辖区、社区数量、治理特色等，显示在街道页面的顶部。"}
    header = [modeline_for("streets/x.yaml"), f"# {answers['street']}的街道档案。以 # 开头的行是说明，不影响内容。"]
    return annotated_yaml(Street, record, header)


def _example_case(answers: dict[str, str]) -> str:
    """A published example that passes `yipin check`, so the first build shows a case page."""
    street = answers["street"]
    record = {
        "status": "published",
        "brand": {"name": "示例品牌（请替换）", "slogan": "把这里换成你们品牌的口号"},
        "community": {"name": "示例社区", "kind": "urban", "region": _region(answers)},
        "summary": f"这是{street}网站的示例案例：把每个字段换成你们自己品牌的内容，或者删掉这个文件，用 yipin new 新建。",
        "themes": ["社区营造"],
        "story": {
            "background": "为什么做这个品牌：社区面对的问题和居民的需求。",
            "practices": [{"title": "第一项做法", "body": "这项做法的经过：谁牵头、做了什么、居民怎样参与。"}],
            "outcomes": "做成了什么：用数字和居民的反馈说明。",
        },
        "replication": {"fit": ["适合推广到哪些社区"], "steps": ["第一步", "第二步"],
                        "contact": {"org": f"{street}示例社区居委会"}},
        "sources": [{"title": "示例来源：报道或文件的标题", "publisher": answers["organisation"]}],
    }
    header = [modeline_for("cases/x.yaml"),
              "# 示例案例：把内容换成你们自己的品牌，文件名就是网址的一部分（只用小写字母、数字和连字符）。",
              "# 以 # 开头的行是说明；用得上的字段，删掉行首的“# ”再填写。改完运行 yipin check。"]
    return annotated_yaml(Case, record, header)

