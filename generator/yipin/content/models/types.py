"""Value types of the record format, each with one parsing entry point.

Every type parses what staff type (``2021-12``, ``2021年12月``, ``2024-03-01 09:00``,
``90m``, ``1小时30分``) and raises a PydanticCustomError whose type is our stable error
code and whose message is the Chinese sentence staff see. Each also describes itself in
the JSON Schema so editors check the same forms while staff type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import PurePosixPath
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from yipin.utils.text import join_cjk_breaks

__all__ = [
    "FIRST_YEAR", "LAST_YEAR", "PartialDate", "UpdateDate", "DateOrDateTime", "Duration", "Slug", "ContentPath", "WebUrl", "CaseRef", "Text",
    "Summary",
    "ID_PATTERN",
]

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


_LINE_BREAKS = re.compile(r"[ \t]*[\n\r\x85\u2028\u2029][\s]*")


def _one_line(value: Any, *, spaces: bool = False) -> Any:
    """Plain text as every output shows it: trimmed, on one line, tabs as spaces. Staff wrap
    long text in YAML (``>-``, ``|``) or in the web editor: a break between Chinese
    characters is dropped, any other becomes a space. ``spaces``: also the spaces a folded
    scalar left between Chinese characters (the summary, which is always wrapped prose)."""
    if not isinstance(value, str):
        return value  # a number: coerced to text by the model, nothing to trim
    text = join_cjk_breaks(value.strip(), spaces=spaces)
    return _LINE_BREAKS.sub(" ", text).replace("\t", " ")


# Every plain-text field: a name, a title, a list item. Limits are set per field (max_length).
Text = Annotated[str, BeforeValidator(_one_line)]
# The summary: wrapped prose, so the spaces folding left between Chinese characters go too.
Summary = Annotated[str, BeforeValidator(lambda value: _one_line(value, spaces=True))]


def _text_or_int(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise PydanticCustomError("type", "应为文字或数字")
    return str(value).strip()


class _ParsedType:
    """A type whose instances come from one ``parse`` classmethod and print as text."""

    json_schema: dict[str, Any] = {}

    @classmethod
    def parse(cls, text: str) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    @classmethod
    def _validate(cls, value: Any) -> Any:
        return value if isinstance(value, cls) else cls.parse(_text_or_int(value))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return dict(cls.json_schema)


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_PARTIAL_DATE_ZH = re.compile(r"^(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?$")


# Every date a record holds lies in these years, so that every output can hold it: gzip
# headers (sitemap.xml.gz) count seconds from 1970 in 32 bits (to 2106), Python's dates end
# at 9999 (a day after 9999-12-31 is an error), and the calendar reaches months past its
# newest date. 1900 leaves room for a brand's or a source's history; a year beyond 2099 is a
# typo (2202 for 2022), refused before it can move the calendar's window past every activity.
FIRST_YEAR, LAST_YEAR = 1900, 2099


def _in_range(year: int, text: str, noun: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PydanticCustomError("date-range", noun + "“{value}”不在 {first} 年到 {last} 年之间：请检查年份",
                                  {"value": text, "first": FIRST_YEAR, "last": LAST_YEAR})


@dataclass(frozen=True, order=True)
class PartialDate(_ParsedType):
    """A date known to the year, the month or the day: 2021, 2021-12, 2021-12-05."""

    year: int
    month: int | None = None
    day: int | None = None

    json_schema = {
        "type": ["string", "integer"],
        "pattern": r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$|^\d{4}年(\d{1,2}月(\d{1,2}日)?)?$",
        "examples": ["2021-12", "2021年12月", "2022-11-26", 2021],
    }

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        match = _PARTIAL_DATE.match(text) or _PARTIAL_DATE_ZH.match(text)
        if not match:
            raise PydanticCustomError(
                "date", "日期“{value}”的格式不对：可以写 2021、2021-12、2021-12-05 或 2021年12月",
                {"value": text},
            )
        year, month, day = (int(part) if part else None for part in match.groups())
        _in_range(year, text, "日期")
        try:
            date(year, month or 1, day or 1)
        except ValueError:
            raise PydanticCustomError("date", "日期“{value}”不存在，请检查月份和日子", {"value": text}) from None
        return cls(year, month, day)

    def __str__(self) -> str:
        return "-".join(f"{part:02d}" for part in (self.year, self.month, self.day) if part is not None)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        """The latest day the value could mean (2021-12 -> 2021-12-31)."""
        if self.day:
            return self.first_day
        if self.month:
            following = date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return following - timedelta(days=1)
        return date(self.year, 12, 31)


def _in_unix_era(value: PartialDate) -> PartialDate:
    if not 1970 <= value.year <= 2099:
        raise PydanticCustomError("date-range", "更新日期“{value}”不在 1970 年到 2099 年之间：请检查年份",
                                  {"value": str(value)})
    return value


# A page's last update: sitemaps and feeds count it in Unix time, from 1970.
UpdateDate = Annotated[PartialDate, AfterValidator(_in_unix_era)]


_DATE_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class DateOrDateTime(_ParsedType):
    """A day (an all-day event) or a day and a wall-clock time (no offset: the event's tz)."""

    value: datetime
    all_day: bool

    json_schema = {
        "type": "string",
        "pattern": r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2})?)?$",
        "examples": ["2024-03-01", "2024-03-01 09:00"],
    }

    @classmethod
    def parse(cls, text: str) -> DateOrDateTime:
        match = _DATE_TIME.match(text)
        if not match:
            raise PydanticCustomError(
                "date", "时间“{value}”的格式不对：写日期 2024-03-01，或日期加时间 2024-03-01 09:00",
                {"value": text},
            )
        parts = [int(p) if p else 0 for p in match.groups()]
        _in_range(parts[0], text, "时间")
        try:
            moment = datetime(*parts)
        except ValueError:
            raise PydanticCustomError("date", "时间“{value}”不存在，请检查日期和钟点", {"value": text}) from None
        return cls(moment, all_day=match.group(4) is None)

    def __str__(self) -> str:
        return self.value.date().isoformat() if self.all_day else self.value.strftime("%Y-%m-%d %H:%M")


_DURATION = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)\s*(?:h|小时|个小时))?\s*(?:(?P<m>\d+)\s*(?:m|min|分钟|分))?$"
)


@dataclass(frozen=True, order=True)
class Duration(_ParsedType):
    """How long an activity lasts: 2h, 90m, 1h30m, 1.5h, 2小时, 1小时30分钟."""

    minutes: int

    json_schema = {
        "type": "string",
        "pattern": r"^(\d+(\.\d+)?\s*(h|小时|个小时))?\s*(\d+\s*(m|min|分钟|分))?$",
        "examples": ["2h", "90m", "1h30m", "2小时"],
    }

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _DURATION.match(text)
        minutes = round(float(match["h"] or 0) * 60 + int(match["m"] or 0)) if match else 0
        if minutes <= 0:
            raise PydanticCustomError(
                "duration", "时长“{value}”的格式不对：写 2h、90m、1h30m 或 2小时", {"value": text}
            )
        return cls(minutes)

    def __str__(self) -> str:
        hours, minutes = divmod(self.minutes, 60)
        return (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not re.match(ID_PATTERN, value):
        raise PydanticCustomError(
            "id-format", "编号“{value}”不合规：只能用小写字母、数字和连字符，如 zhouxin-lianjiang",
            {"value": str(value)},
        )
    return value


def _content_path(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PydanticCustomError("path", "应写图片在 content/ 下的路径，如 images/zhouxin-lianjiang/park.jpg")
    text = value.strip()
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text) or text.startswith("//"):
        raise PydanticCustomError(
            "path-url", "不能引用网址“{value}”：请把图片下载后放进 content/images/，再写它的路径", {"value": text}
        )
    pure = PurePosixPath(text.replace("\\", "/"))
    if pure.is_absolute() or re.match(r"^[a-zA-Z]:", text) or ".." in pure.parts:
        raise PydanticCustomError(
            "path-outside", "路径“{value}”指到了 content/ 以外：请写相对于 content/ 的路径，不能以 / 开头，也不能含 ..",
            {"value": text},
        )
    return pure.as_posix()


MAX_URL = 2000  # characters: what browsers and servers all accept


def _web_url(value: Any) -> str:
    if not isinstance(value, str) or not re.match(r"^https?://[^\s/$.?#][^\s]*$", value.strip()):
        raise PydanticCustomError(
            "url", "网址“{value}”不对：应以 http:// 或 https:// 开头；没有网址就写 null 或删去这一行",
            {"value": str(value)},
        )
    if len(value.strip()) > MAX_URL:
        raise PydanticCustomError("url", "网址太长：最多 {limit} 个字符", {"limit": MAX_URL})
    return value.strip()


def _case_ref(value: Any) -> str:
    """A case another one learnt from: its id on this site, or its page's address on another."""
    if isinstance(value, str) and re.match(ID_PATTERN, value.strip()):
        return value.strip()
    if isinstance(value, str) and value.strip().startswith(("http://", "https://")):
        return _web_url(value)
    raise PydanticCustomError(
        "case-ref", "“{value}”不是案例：本站的案例写编号（如 zhouxin-lianjiang），其他网站的案例写它页面的网址（https://…）",
        {"value": str(value)},
    )


def _described(func: Any, schema: dict[str, Any]) -> Any:
    """A str-valued type checked by ``func`` that shows ``schema`` to editors."""

    class _Type:
        @classmethod
        def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
            return core_schema.no_info_plain_validator_function(func)

        @classmethod
        def __get_pydantic_json_schema__(cls, cs: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> dict[str, Any]:
            return dict(schema)

    return Annotated[str, _Type]


Slug = _described(_slug, {"type": "string", "pattern": ID_PATTERN, "examples": ["zhouxin-lianjiang"]})
ContentPath = _described(_content_path, {
    "type": "string", "pattern": r"^(?![a-zA-Z][a-zA-Z0-9+.-]*://)(?!/)(?!.*\.\.).+$",
    "examples": ["images/zhouxin-lianjiang/park.jpg"],
})
WebUrl = _described(_web_url, {"type": "string", "pattern": r"^https?://", "maxLength": MAX_URL,
                                "examples": ["https://example.org/news/1.html"]})
CaseRef = _described(_case_ref, {"type": "string", "anyOf": [{"pattern": ID_PATTERN}, {"pattern": r"^https?://"}],
                                 "maxLength": MAX_URL,
                                 "examples": ["zhouxin-lianjiang", "https://jiedao.example.gov.cn/cases/lianjiang/"]})
