"""Load and validate the whole content folder: the first two stages of the pipeline.

    read every file (reader) → shape of each record (models) → rules across fields and
    records (checks) → Content, or ContentErrors listing every problem in every file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from yipin import __version__
from yipin.cache import BuildCache, Table, digest
from yipin.content.loaded import Content, Loaded
from yipin.content.messages import translate
from yipin.content.models import FORMAT, Case, Street, Taxonomy
from yipin.content.reader import Document, read_document, read_source
from yipin.content.rules import check_case, check_content, check_taxonomy
from yipin.errors import ContentError, ContentErrors, display_path
from yipin.images.check import ImageChecker
from yipin.utils.files import os_problem

__all__ = ["validate_content", "validate_document", "content_files", "TAXONOMY_FILE", "SUFFIXES"]

R = TypeVar("R", bound=BaseModel)

TAXONOMY_FILE = "taxonomy.yaml"
SUFFIXES = {".yaml", ".yml"}


def content_files(root: Path, folder: str, errors: list[ContentError]) -> list[Path]:
    """Every entry of a folder named like a record, in a stable order: links, folders and
    pipes included, so that reading reports them instead of skipping them silently."""
    directory = root / folder
    try:
        if not directory.is_dir():
            return []
        names = sorted(p.name for p in directory.iterdir())
    except OSError as exc:
        errors.append(ContentError(display_path(directory), 1, 1, "", *os_problem(exc, directory, {})))
        return []
    return [directory / name for name in names if Path(name).suffix.lower() in SUFFIXES and not name.startswith(".")]


def validate_document(doc: Document, model: type[R], context: dict | None = None) -> tuple[R | None, list[ContentError]]:
    if doc.format > FORMAT:
        return None, [ContentError(doc.display, 1, 1, "", "format-newer",
                                   f"这个文件是按 Yipin 记录格式 {doc.format} 写的（第一行的 yipin-format={doc.format}），"
                                   f"本机的 Yipin {__version__} 只认识到格式 {FORMAT}：请升级 Yipin——把 requirements.txt "
                                   "里的版本号改成新版本，再运行 pip install -r requirements.txt")]
    if not isinstance(doc.data, dict):
        return None, [doc.error((), "not-a-record", f"文件内容应该是一组“字段名: 内容”，现在{_what(doc.data)}")]
    try:
        return model.model_validate(doc.data, context=context), []
    except ValidationError as exc:
        return None, translate(exc, doc, model)


def _what(data: object) -> str:
    """What a file holds instead of fields, as staff would say it."""
    if data is None:
        return "是空的"
    if isinstance(data, list):
        return "是一个列表（以“- ”开头的行）"
    return "只有一段文字或一个数字：每一行要写成“字段名: 内容”，冒号后有空格"


def validate_content(root: Path, images: ImageChecker | None = None, cache: BuildCache | None = None) -> Content:
    """Every record of ``root``, valid, or ContentErrors with every problem found. ``images``:
    the checker with the image cache, so unchanged images are not decoded again; ``cache``:
    the build cache, so records whose files have not changed are not parsed again."""
    root = Path(root)
    if not root.is_dir():
        raise ContentErrors([ContentError(display_path(root), 1, 1, "", "no-content",
                                          "找不到内容文件夹：请用 --content 指定 content/ 的位置")])
    errors: list[ContentError] = []
    records = (cache or BuildCache(None)).table("records")
    taxonomy = _load_taxonomy(root, errors)
    context = {"taxonomy": taxonomy} if taxonomy else None
    cases = _load_all(root, "cases", Case, context, errors, records)
    streets = _load_all(root, "streets", Street, None, errors, records)
    images = images or ImageChecker()
    errors.extend(check_content(root, cases, streets, images))
    images.save()
    records.save()
    if errors or taxonomy is None:
        raise ContentErrors(errors)
    return Content(root, taxonomy, tuple(cases), tuple(streets))


def _load_taxonomy(root: Path, errors: list[ContentError]) -> Taxonomy | None:
    path = root / TAXONOMY_FILE
    if not path.exists() and not path.is_symlink():
        errors.append(ContentError(display_path(path), 1, 1, "", "no-taxonomy",
                                   "缺少词表文件 taxonomy.yaml：主题和服务人群要从词表里选"))
        return None
    raw, unread = read_source(path, root.resolve())
    if unread:
        errors.append(unread)
        return None
    doc, found = read_document(path, raw)
    errors.extend(found)
    if found:
        return None
    taxonomy, found = validate_document(doc, Taxonomy)
    if taxonomy is not None:
        found = list(check_taxonomy(Loaded(taxonomy, doc)))
    errors.extend(found)
    return None if found else taxonomy


def _load_all(root: Path, folder: str, model: type[R], context: dict | None,
              errors: list[ContentError], records: Table) -> list[Loaded[R]]:
    """Each file's record, from the cache when the file's bytes, its name and the taxonomy are
    as they were when it last passed every rule of its own; only such records are kept."""
    rules = check_case if model is Case else None
    vocabulary = context["taxonomy"].model_dump_json() if context else ""
    loaded: list[Loaded[R]] = []
    within = root.resolve()
    for path in content_files(root, folder, errors):
        raw, unread = read_source(path, within)
        if unread:
            errors.append(unread)
            continue
        key = digest(folder, path.name, raw, vocabulary)
        cached = records.lookup(key)
        if cached is not None:  # its document is needed for positions only, read on demand
            loaded.append(Loaded(cached, Document(path, unread=True), key))
            continue
        doc, found = read_document(path, raw)
        record = None
        if not found:
            record, found = validate_document(doc, model, context)
        if record is not None:
            item = Loaded(record, doc, key)
            found = rules(item) if rules else []
            loaded.append(item)
            if not found:
                records.put(key, record)
        errors.extend(found)
    return loaded
