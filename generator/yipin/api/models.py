"""The shape of every JSON file under api/v1/, as models: the API code builds its files
through them, their JSON Schemas are published at schema/api/ for other programs (and
checked against the built files by the quality gates), and a portal validates what its
member sites publish against them. One definition, no drift.

The limits (lengths, counts) are those of what Yipin itself writes, with room: a member's
file beyond them is not a Yipin site's, and the portal keeps its last good copy instead.
Records inside the responses are described by the record schemas (schema/case.schema.json);
here they are plain objects.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from yipin.content.schema import DIALECT

__all__ = ["API_SCHEMAS", "CasesResponse", "CaseSummary", "CaseResponse", "TaxonomyResponse",
           "ActivitiesResponse", "ActivityWindow", "OccurrenceRecord", "SiteManifest", "Counts", "SiteLinks",
           "Inspiration", "MemberEntry", "MembersResponse", "SearchPage", "SearchTextResponse", "api_schemas"]

Short = Annotated[str, Field(max_length=500)]       # a name, a title, a date: a Yipin record's longest is 500
Address = Annotated[str, Field(max_length=2000)]    # a URL
Name = Annotated[str, Field(min_length=1, max_length=500)]
Region = Annotated[dict[Short, Short], Field(max_length=4)]
MANY_CASES, MANY_OCCURRENCES = 50_000, 500_000
MANY = 1_000_000_000  # any count a site publishes: a member's 10^26 is not a Yipin site's
PAGE_TEXT = 200_000   # characters of one case page's indexed part; Yipin's own are about 8,000


class _Response(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Link(_Response):
    name: Short = Field(title="名称")
    url: Address = Field(title="网址")


class BrandSummary(_Response):
    name: Short = Field(title="品牌名称")
    slogan: Short | None = Field(default=None, title="口号")
    launched: Short | None = Field(default=None, title="启动时间", description="如 2021-12 或 2021-12-05 或 2021")


class CommunitySummary(_Response):
    name: Short = Field(title="社区名称")
    kind: Short = Field(title="社区类型")
    kind_label: Short = Field(title="社区类型的中文名")


class CaseRegion(_Response):
    province: Name = Field(title="省")
    city: Name = Field(title="市")
    district: Name = Field(title="区县")
    street: Name | None = Field(default=None, title="街道（乡镇）", description="街道级以上的品牌不写")


class CaseSummary(_Response):
    id: Short = Field(title="案例编号")
    url: Address = Field(title="案例页面网址")
    json_url: Address = Field(alias="json", title="完整记录的网址")
    brand: BrandSummary = Field(title="品牌")
    community: CommunitySummary = Field(title="社区")
    region: CaseRegion = Field(title="所在地区")
    summary: Short = Field(title="简介")
    themes: list[Short] = Field(title="主题", max_length=20)
    groups: list[Short] = Field(title="服务人群", max_length=50)
    updated: date = Field(title="更新日期")
    thumbnail: Address | None = Field(default=None, title="卡片图片的网址", description="WebP，正方形")


class CasesResponse(_Response):
    """api/v1/cases.json"""

    version: int = Field(title="接口版本")
    updated: date = Field(title="最近更新日期")
    count: int = Field(title="案例数", ge=0, le=MANY)
    cases: list[CaseSummary] = Field(title="全部已发布案例的摘要", max_length=MANY_CASES)


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
    case: Short = Field(title="案例编号")
    title: Short = Field(title="活动名称")
    start: Short = Field(title="开始", description="带时区的日期时间；全天活动只写日期")
    end: Short | None = Field(title="结束", description="同上；全天活动是最后一天（含）")
    all_day: bool = Field(title="全天活动")
    location: Short | None = Field(title="地点")
    status: Short = Field(title="状态", description="confirmed 或 cancelled")
    example: bool = Field(default=False, title="示例活动",
                          description="true：为演示编写的示例，不是真实的活动安排；请在显示时标明“示例”")
    repeat: Short | None = Field(title="重复方式")
    tz: Short = Field(title="时区")
    uid: Short = Field(title="iCalendar UID")
    brand: Short = Field(title="品牌名称")
    community: Short = Field(title="社区名称")
    url: Address = Field(title="案例页面网址")
    ics: Address = Field(title="这项活动的 .ics 文件")


class ActivityWindow(_Response):
    from_: Short = Field(alias="from", title="发布期开始")
    to: Short = Field(title="发布期结束")


class ActivitiesResponse(_Response):
    """api/v1/activities.json"""

    version: int = Field(title="接口版本")
    reference: Short = Field(title="参考日期", description="内容最近更新的日期；发布期由它算起")
    window: ActivityWindow = Field(title="发布期")
    count: int = Field(title="活动次数", ge=0, le=MANY)
    occurrences: list[OccurrenceRecord] = Field(title="发布期内的每一次活动", max_length=MANY_OCCURRENCES)


class Counts(_Response):
    cases: int = Field(title="已发布的品牌案例", ge=0, le=MANY)
    communities: int = Field(title="社区", ge=0, le=MANY)
    streets: int = Field(title="街道", ge=0, le=MANY)
    districts: int = Field(title="区县", ge=0, le=MANY)
    activities: int = Field(title="发布期内的活动次数", ge=0, le=MANY)


class SiteLinks(_Response):
    cases: Address = Field(title="案例列表", description="api/v1/cases.json")
    activities: Address = Field(title="活动", description="api/v1/activities.json")
    search: Address = Field(title="搜索索引", description="Pagefind 的索引文件夹，门户网站用它一起搜索")
    calendar: Address = Field(title="全部活动的日历订阅（.ics）")
    feed: Address = Field(title="新增和更新案例的 Atom 订阅")
    members: Address | None = Field(default=None, title="成员网站列表", description="门户网站才有：api/v1/members.json")
    search_text: Address | None = Field(default=None, title="搜索文本",
                                        description="api/v1/search.json：门户网站用它把本站案例编进自己的搜索索引（Yipin 0.4 起）")


class Inspiration(_Response):
    """本站（门户网站：本站和各成员网站）的一个案例借鉴了另一个案例。"""

    case: Address = Field(title="借鉴者的案例页面网址")
    brand: Short = Field(title="借鉴者的品牌名称")
    community: Short = Field(title="借鉴者的社区名称")
    inspired_by: Address = Field(title="被借鉴的案例页面网址")
    origin: Short | None = Field(default=None, title="被借鉴的案例", description="品牌名称 · 社区名称，发布者知道时才写")


class SiteManifest(_Response):
    """api/v1/site.json：网站的名片，供其他网站和门户网站读取。"""

    version: int = Field(title="接口版本")
    generator: Short = Field(title="生成它的软件及版本", description="如 yipin 0.4.0")
    name: Short = Field(title="网站名称")
    organisation: Short = Field(title="主办单位")
    region: Region = Field(title="覆盖地区", description="province、city、district、street 中写明的几级")
    url: Address = Field(title="网站地址", description="以 / 结尾；没有配置 site_url 的网站为 /")
    updated: date = Field(title="内容最近更新的日期", description="不写生成的时刻：同样的内容生成同样的文件")
    counts: Counts = Field(title="数量")
    links: SiteLinks = Field(title="数据和索引的位置")
    inspirations: list[Inspiration] = Field(title="借鉴关系", description="本站的案例借鉴了哪些案例；门户网站还包括各成员网站的",
                                            max_length=MANY_CASES)
    members: list[Address] = Field(title="成员网站", description="门户网站读取的各成员网站地址；街道网站为空", max_length=2000)


class MemberEntry(_Response):
    name: Short = Field(title="网站名称")
    organisation: Short = Field(title="主办单位")
    region: Region = Field(title="覆盖地区")
    url: Address = Field(title="网站地址")
    updated: date = Field(title="内容最近更新的日期")
    counts: Counts = Field(title="数量")
    search: Address = Field(title="搜索索引", description="Pagefind 的索引文件夹")
    indexed: bool = Field(title="门户网站的搜索索引包含它的案例",
                          description="false：它没有发布搜索文本，读者的浏览器要另外加载它的索引")
    current: bool = Field(title="这次生成时读到了", description="false：读取失败，显示的是上次读到的内容")


class MembersResponse(_Response):
    """api/v1/members.json：门户网站的各成员网站（门户网站才有）。"""

    version: int = Field(title="接口版本")
    count: int = Field(title="成员网站数", ge=0, le=MANY)
    members: list[MemberEntry] = Field(title="成员网站", max_length=2000)


class SearchPage(_Response):
    url: Address = Field(title="案例页面网址")
    html: str = Field(title="页面被搜索的部分",
                      description="页面中 data-pagefind-body 的元素，只留 Pagefind 读取的标签和属性", max_length=PAGE_TEXT)


class SearchTextResponse(_Response):
    """api/v1/search.json：每个案例页面被搜索的部分。门户网站用它把成员网站的案例编进自己的
    搜索索引，读者搜索全部成员时只加载门户网站的一个索引。"""

    version: int = Field(title="接口版本")
    count: int = Field(title="页面数", ge=0, le=MANY)
    pages: list[SearchPage] = Field(title="案例页面", max_length=MANY_CASES)


# published file name → the model of that response
API_SCHEMAS: dict[str, type[_Response]] = {
    "site.schema.json": SiteManifest,
    "cases.schema.json": CasesResponse,
    "case.schema.json": CaseResponse,
    "taxonomy.schema.json": TaxonomyResponse,
    "activities.schema.json": ActivitiesResponse,
    "members.schema.json": MembersResponse,
    "search.schema.json": SearchTextResponse,
}


def api_schemas() -> dict[str, dict[str, Any]]:
    """schema/api/<name> → JSON Schema, for the responses as they are written (by alias)."""
    return {name: {"$schema": DIALECT, **model.model_json_schema(by_alias=True)} for name, model in API_SCHEMAS.items()}
