"""The shape of every JSON file under api/v1/, as models: the API code builds its files
through them, and their JSON Schemas are published at schema/api/ for other programs (and
checked against the built files by the quality gates). One definition, no drift.

Records inside the responses are described by the record schemas (schema/case.schema.json);
here they are plain objects.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from yipin.content.schema import DIALECT

__all__ = ["API_SCHEMAS", "CasesResponse", "CaseSummary", "CaseResponse", "TaxonomyResponse",
           "ActivitiesResponse", "ActivityWindow", "OccurrenceRecord", "api_schemas"]


class _Response(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Link(_Response):
    name: str = Field(title="名称")
    url: str = Field(title="网址")


class BrandSummary(_Response):
    name: str = Field(title="品牌名称")
    slogan: str | None = Field(default=None, title="口号")
    launched: str | None = Field(default=None, title="启动时间", description="如 2021-12 或 2021-12-05 或 2021")


class CommunitySummary(_Response):
    name: str = Field(title="社区名称")
    kind: str = Field(title="社区类型")
    kind_label: str = Field(title="社区类型的中文名")


class CaseSummary(_Response):
    id: str = Field(title="案例编号")
    url: str = Field(title="案例页面网址")
    json_url: str = Field(alias="json", title="完整记录的网址")
    brand: BrandSummary = Field(title="品牌")
    community: CommunitySummary = Field(title="社区")
    region: dict[str, str] = Field(title="所在地区", description="province、city、district，以及 street（如有）")
    summary: str = Field(title="简介")
    themes: list[str] = Field(title="主题")
    groups: list[str] = Field(title="服务人群")
    updated: str = Field(title="更新日期")


class CasesResponse(_Response):
    """api/v1/cases.json"""

    version: int = Field(title="接口版本")
    updated: str = Field(title="最近更新日期")
    count: int = Field(title="案例数")
    cases: list[CaseSummary] = Field(title="全部已发布案例的摘要")


class CaseResponse(_Response):
    """api/v1/cases/<id>.json"""

    version: int = Field(title="接口版本")
    id: str = Field(title="案例编号")
    url: str = Field(title="案例页面网址")
    updated: str = Field(title="更新日期")
    street: Link | None = Field(title="所在街道的页面")
    district: Link | None = Field(title="所在区县的页面")
    record: dict[str, Any] = Field(title="案例记录", description="符合 schema/case.schema.json")
    html: dict[str, str] = Field(title="Markdown 字段的安全 HTML", description="键为字段路径，如 story.background")


class Term(_Response):
    term: str = Field(title="规范用词")
    description: str = Field(title="说明")
    aliases: list[str] = Field(title="别称")
    cases: int = Field(title="使用它的案例数")


class Kind(_Response):
    value: str = Field(title="写法")
    label: str = Field(title="含义")


class TaxonomyResponse(_Response):
    """api/v1/taxonomy.json"""

    version: int = Field(title="接口版本")
    themes: list[Term] = Field(title="主题")
    groups: list[Term] = Field(title="服务人群")
    kinds: list[Kind] = Field(title="社区类型")


class OccurrenceRecord(_Response):
    case: str = Field(title="案例编号")
    title: str = Field(title="活动名称")
    start: str = Field(title="开始", description="带时区的日期时间；全天活动只写日期")
    end: str | None = Field(title="结束", description="同上；全天活动是最后一天（含）")
    all_day: bool = Field(title="全天活动")
    location: str | None = Field(title="地点")
    status: str = Field(title="状态", description="confirmed 或 cancelled")
    repeat: str | None = Field(title="重复方式")
    tz: str = Field(title="时区")
    uid: str = Field(title="iCalendar UID")
    brand: str = Field(title="品牌名称")
    community: str = Field(title="社区名称")
    url: str = Field(title="案例页面网址")
    ics: str = Field(title="这项活动的 .ics 文件")


class ActivityWindow(_Response):
    from_: str = Field(alias="from", title="发布期开始")
    to: str = Field(title="发布期结束")


class ActivitiesResponse(_Response):
    """api/v1/activities.json"""

    version: int = Field(title="接口版本")
    reference: str = Field(title="参考日期", description="内容最近更新的日期；发布期由它算起")
    window: ActivityWindow = Field(title="发布期")
    count: int = Field(title="活动次数")
    occurrences: list[OccurrenceRecord] = Field(title="发布期内的每一次活动")


# published file name → the model of that response
API_SCHEMAS: dict[str, type[_Response]] = {
    "cases.schema.json": CasesResponse,
    "case.schema.json": CaseResponse,
    "taxonomy.schema.json": TaxonomyResponse,
    "activities.schema.json": ActivitiesResponse,
}


def api_schemas() -> dict[str, dict[str, Any]]:
    """schema/api/<name> → JSON Schema, for the responses as they are written (by alias)."""
    return {name: {"$schema": DIALECT, **model.model_json_schema(by_alias=True)} for name, model in API_SCHEMAS.items()}
