"""Rules across fields and across records, on records whose shape is already valid.

Each rule is a small function yielding ContentErrors positioned through the record's
Document, so it points at the exact line staff must change.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from yipin.content.loaded import Loaded
from yipin.content.markdown import DEFAULT_MARKDOWN_EXTENSIONS, Prose
from yipin.content.models import ID_PATTERN, Case, Street, Taxonomy
from yipin.content.models.base import markdown_values
from yipin.content.reader import Document
from yipin.content.recurrence import DEFAULT_TZ, RepeatError, date_problems, never_message, parse_repeat
from yipin.errors import ContentError
from yipin.images.check import ImageChecker

__all__ = ["check_case", "check_content", "check_taxonomy"]


def check_taxonomy(loaded: Loaded[Taxonomy]) -> Iterator[ContentError]:
    """Each word, term or alias, means one term only."""
    seen: dict[str, str] = {}
    for vocabulary in ("themes", "groups"):
        for i, term in enumerate(getattr(loaded.record, vocabulary)):
            words = [((vocabulary, i, "term"), term.term)]
            words += [((vocabulary, i, "aliases", j), alias) for j, alias in enumerate(term.aliases)]
            for loc, word in words:
                if word in seen:
                    yield loaded.doc.error(loc, "taxonomy-duplicate",
                                           f"“{word}”已经出现在词条“{seen[word]}”里：每个词只能属于一个词条")
                seen.setdefault(word, term.term)


def check_case(loaded: Loaded[Case]) -> list[ContentError]:
    """The rules that read one record and nothing else (so a valid record's result can be
    kept until its file changes)."""
    return [error for rule in (_published_complete, _community, _consent, _activities, _markdown)
            for error in rule(loaded)]


def check_content(root: Path, cases: Sequence[Loaded[Case]], streets: Sequence[Loaded[Street]],
                  images: ImageChecker) -> list[ContentError]:
    """The rules across records, and the image files each case names."""
    errors = [*_ids(cases), *_ids(streets), *_street_profiles(cases, streets), *_inspirations(cases)]
    content = root.resolve()
    for loaded in cases:
        errors.extend(_images(root, content, loaded, images))
    return errors


def _ids(loaded: Sequence[Loaded[Case]] | Sequence[Loaded[Street]]) -> Iterator[ContentError]:
    first_file: dict[str, Document] = {}
    for item in loaded:
        stem, doc = item.doc.path.stem, item.doc
        valid = re.match(ID_PATTERN, stem) is not None
        if item.record.id is not None and item.record.id != stem:
            change_id = f"把 id 改成 {stem}，或" if valid else ""
            yield doc.error(("id",), "id-mismatch",
                            f"编号 {item.record.id} 与文件名 {doc.path.name} 不一致：{change_id}把文件改名为 {item.record.id}.yaml")
        elif not valid:
            suggestion = _suggested_id(stem)
            example = f"，如改名为 {suggestion}.yaml" if suggestion else "，如 zhouxin-lianjiang.yaml"
            yield doc.error((), "id-format",
                            f"文件名 {doc.path.name} 不能当作编号：文件名只能用小写字母、数字和连字符{example}")
        if stem in first_file:
            yield doc.error(("id",) if item.record.id else (), "id-duplicate",
                            f"编号 {stem} 已被 {first_file[stem].display} 使用：每个编号只能用一次")
        first_file.setdefault(stem, doc)


def _suggested_id(stem: str) -> str:
    """The nearest valid id to a file name: Upper_Case → upper-case ('' if nothing is left)."""
    return "-".join(re.findall(r"[a-z0-9]+", stem.lower()))


def _inspirations(cases: Sequence[Loaded[Case]]) -> Iterator[ContentError]:
    """A case of this site named in inspired_by exists, is published where it is cited, and
    is another case."""
    status = {case.id: case.record.status for case in cases}
    for case in cases:
        cited = case.record.inspired_by
        if cited is None or cited.startswith(("http://", "https://")):
            continue
        if cited == case.id:
            yield case.doc.error(("inspired_by",), "inspired-self", "不能借鉴自己：写别的案例的编号或网址")
        elif cited not in status:
            yield case.doc.error(("inspired_by",), "inspired-missing",
                                 f"本站没有编号为 {cited} 的案例：写已有案例的编号，其他网站的案例请写它页面的网址")
        elif status[cited] != "published" and case.record.status == "published":
            yield case.doc.error(("inspired_by",), "inspired-draft",
                                 f"案例 {cited} 还是草稿，页面上链接不到它：等它发布后再写，或先写它的网址")


def _street_profiles(cases: Sequence[Loaded[Case]], streets: Sequence[Loaded[Street]]) -> Iterator[ContentError]:
    """A profile must describe a street some case names, with the same province, city and district."""
    by_name: dict[str, Loaded[Street]] = {}
    for profile in streets:
        name = profile.record.name
        if name in by_name:
            yield profile.doc.error(("name",), "street-duplicate",
                                    f"街道 {name} 已经有档案 {by_name[name].doc.display}：一个街道只写一份档案")
        by_name.setdefault(name, profile)
    referenced: set[str] = set()
    for case in cases:
        region = case.record.community.region
        profile = by_name.get(region.street or "")
        if profile is None:
            continue
        referenced.add(profile.record.name)
        for level, label in (("province", "省份"), ("city", "城市"), ("district", "区县")):
            ours, theirs = getattr(region, level), getattr(profile.record.region, level)
            if ours != theirs:
                yield case.doc.error(("community", "region", level), "street-mismatch",
                                     f"{label}“{ours}”与街道档案 {profile.doc.display} 里的“{theirs}”不一致：请改成一样的写法")
    for name, profile in by_name.items():
        if name not in referenced:
            yield profile.doc.error(("name",), "street-unused",
                                    f"没有案例属于街道“{name}”：案例的 community.region.street 要和这里写法完全相同")


def _published_complete(loaded: Loaded[Case]) -> Iterator[ContentError]:
    case = loaded.record
    if case.status != "published":
        return
    if case.replication is None:
        yield loaded.doc.error(("replication",), "published-incomplete",
                               "发布的案例必须写可复制要点 replication；还没写好可以先设 status: draft")
    if not case.sources:
        yield loaded.doc.error(("sources",), "published-incomplete",
                               "发布的案例至少要有一条来源 sources；还没写好可以先设 status: draft")


def _community(loaded: Loaded[Case]) -> Iterator[ContentError]:
    community = loaded.record.community
    if community.kind != "district" and not community.region.street:
        yield loaded.doc.error(("community", "region", "street"), "missing",
                               "缺少必填字段 street（街道）：只有区级整体的品牌（kind: district）可以不写街道")


def _consent(loaded: Loaded[Case]) -> Iterator[ContentError]:
    for i, image in enumerate(loaded.record.gallery):
        if image.people and not image.consent:
            yield loaded.doc.error(("gallery", i, "people"), "consent-missing",
                                   "图片里有可辨认的人（people: true），必须取得本人同意并写 consent: true；否则请换图或删去")


def _activities(loaded: Loaded[Case]) -> Iterator[ContentError]:
    seen: dict[tuple[str, str], int] = {}
    for i, activity in enumerate(loaded.record.activities):
        at = ("activities", i)
        error = loaded.doc.error
        # Title and start make an activity's calendar UID: two alike would be one event.
        same = seen.setdefault((activity.title, str(activity.start)), i)
        if same != i:
            yield error((*at, "title"), "activity-duplicate",
                        f"与第 {same + 1} 项活动的名称和开始时间相同：同一活动只写一次，重复的用 repeat 表示")
        if activity.end and activity.duration:
            yield error((*at, "duration"), "activity-end", "结束时间 end 和时长 duration 只能写一个")
        if activity.end and activity.end.all_day != activity.start.all_day:
            yield error((*at, "end"), "activity-end", "开始和结束要么都只写日期，要么都写日期加时间")
        elif activity.end and activity.end.value < activity.start.value:
            yield error((*at, "end"), "date-order", f"结束时间 {activity.end} 早于开始时间 {activity.start}")
        elif activity.end and activity.end == activity.start and not activity.start.all_day:
            yield error((*at, "end"), "date-order", "结束时间和开始时间相同：请写结束时间，或改写时长 duration")
        if (activity.until or activity.count) and not activity.repeat:
            field = "until" if activity.until else "count"
            yield error((*at, field), "activity-repeat", f"写了 {field}，却没有写重复方式 repeat")
        if activity.until and activity.count:
            yield error((*at, "count"), "activity-repeat", "重复截止 until 和次数 count 只能写一个")
        zone = ZoneInfo(DEFAULT_TZ)
        if activity.tz:
            try:
                zone = ZoneInfo(activity.tz)
            except (ZoneInfoNotFoundError, ValueError):
                yield error((*at, "tz"), "timezone", f"不认识时区“{activity.tz}”：一般不用写；要写就写 Asia/Shanghai 这样的名称")
        if activity.repeat:
            yield from _repeat(loaded, i, zone)


def _repeat(loaded: Loaded[Case], i: int, zone: ZoneInfo) -> Iterator[ContentError]:
    """The repeat itself, the dates of its series (``zone``: the activity's time zone, the
    default one when its own is unknown), and that the series happens at all."""
    activity = loaded.record.activities[i]
    at = ("activities", i)
    try:
        recurrence = parse_repeat(activity.repeat)
    except RepeatError as exc:
        yield loaded.doc.error((*at, "repeat"), "repeat", str(exc))
        return
    problems = [loaded.doc.error((*at, field), code, message)
                for field, code, message in date_problems(activity, recurrence, zone)]
    yield from problems
    # With the dates at odds, "never happens" would only repeat those errors.
    never = None if problems else never_message(activity, recurrence, zone)
    if never:
        yield loaded.doc.error((*at, "repeat"), "repeat-never", never)


@functools.cache
def _prose() -> Prose:
    """Markdown as `yipin check` reads it: Yipin's default extensions (the site's own may add
    more; the sanitiser still guards what they make)."""
    return Prose(DEFAULT_MARKDOWN_EXTENSIONS, {})


def _markdown(loaded: Loaded[Case]) -> Iterator[ContentError]:
    """Nothing in a Markdown field is silently dropped: what the sanitiser would remove, and
    any picture, is an error at its line."""
    for loc, text in markdown_values(loaded.record):
        for removed in _prose().removed(text):
            yield loaded.doc.error_at(loc, removed.snippet, removed.code, removed.message)


def _images(root: Path, content: Path, loaded: Loaded[Case], images: ImageChecker) -> Iterator[ContentError]:
    """``content``: ``root`` resolved, the folder no image may lie outside."""
    case = loaded.record
    paths = [(("brand", "logo"), case.brand.logo)] if case.brand.logo else []
    paths += [(("gallery", i, "src"), image.src) for i, image in enumerate(case.gallery)]
    for loc, relative in paths:
        target = (root / relative).resolve()
        if not target.is_relative_to(content):
            yield loaded.doc.error(loc, "path-outside", f"路径“{relative}”通过链接指到了 content/ 以外：请把图片复制进 content/images/")
            continue
        problem = images.problem(target)
        if problem:
            yield loaded.doc.error(loc, problem[0], f"图片“{relative}”：{problem[1]}")
