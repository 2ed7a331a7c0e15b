"""The case record: one community brand, content/cases/<id>.yaml."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from yipin.content.models.base import Record, field
from yipin.content.models.taxonomy import GroupList, ThemeList
from yipin.content.models.types import (
    CaseRef,
    ContentPath,
    DateOrDateTime,
    Duration,
    PartialDate,
    Slug,
    Summary,
    Text,
    UpdateDate,
    WebUrl,
)

__all__ = [
    "CommunityKind", "KIND_LABELS", "Region", "Brand", "Community", "Partner", "Practice", "Story",
    "Metric", "Contact", "Replication", "Activity", "Image", "Source", "Case",
    "SUMMARY_MIN", "SUMMARY_MAX", "MAX_COUNT",
]

SUMMARY_MIN, SUMMARY_MAX = 30, 200

# Limits, in characters or items. Each is far above what a real record holds and low enough
# for every output a value reaches: a page heading or card, the search index (Pagefind
# slows to minutes on a run of 300,000 characters), a calendar line, a JSON consumer.
NAME, PLACE, LABEL, LINE, SENTENCE = 60, 40, 40, 300, 500
PROSE = 10_000                 # a Markdown field: a long story is a few thousand characters
FEW, MANY = 30, 200            # list items: practices, partners … / activities, pictures
MAX_PEOPLE = 100_000_000       # population and households: more than any district
MAX_AREA = 100_000             # km²
MAX_FIGURE = 1_000_000_000_000  # a key figure; JavaScript counts integers exactly to 2^53
MAX_COUNT = 10_000             # occurrences of an activity (RFC 5545 allows up to 2^31 - 1)

Sentence = Annotated[Text, Field(max_length=SENTENCE)]  # an item of the replication kit


KIND_LABELS = {
    "urban": "城市社区",
    "rural": "农村社区",
    "resettlement": "安置社区",
    "street": "街道整体",
    "district": "区级整体",
}
CommunityKind = Literal["urban", "rural", "resettlement", "street", "district"]


class Region(Record, title="所在地区"):
    """社区所在的行政区划。"""

    province: Text = field("省份", "省、自治区或直辖市，如 广东省", min_length=1, max_length=PLACE)
    city: Text = field("城市", "地级市，如 清远市；直辖市写市名", min_length=1, max_length=PLACE)
    district: Text = field("区县", "区或县，如 清城区", min_length=1, max_length=PLACE)
    street: Text | None = field(
        "街道", "街道或乡镇，如 洲心街道；区级整体的品牌（kind: district）不写", default=None, min_length=1,
        max_length=PLACE,
    )


class Brand(Record, title="品牌"):
    """品牌：名称、口号、启动时间和标志。"""

    name: Text = field("品牌名称", "品牌的正式名称，如 连江营造计划", min_length=1, max_length=NAME)
    slogan: Text | None = field("口号", "品牌口号，没有就不写", default=None, max_length=100)
    launched: PartialDate | None = field(
        "启动时间", "品牌启动或正式运营的时间：2021、2021-12、2021-12-05 或 2021年12月", default=None
    )
    logo: ContentPath | None = field(
        "标志图片", "品牌标志图片在 content/ 下的路径，如 images/zhouxin-lianjiang/logo.png", default=None
    )


class Community(Record, title="社区"):
    """品牌所属的社区（街道整体的品牌写街道，区级整体的品牌写区）。"""

    name: Text = field("社区名称", "社区名称；街道整体的品牌写街道名，区级整体的品牌写区名", min_length=1,
                      max_length=NAME)
    kind: CommunityKind = field(
        "社区类型",
        "urban 城市社区、rural 农村社区、resettlement 安置社区、street 街道整体、district 区级整体",
    )
    region: Region = field("所在地区", "省、市、区县、街道")
    population: int | None = field("人口", "常住或服务人口（人），只写来源里有的数字", default=None, ge=0,
                                   le=MAX_PEOPLE)
    households: int | None = field("户数", "服务户数（户），只写来源里有的数字", default=None, ge=0,
                                   le=MAX_PEOPLE)
    area_km2: float | None = field("面积", "辖区面积（平方公里）", default=None, gt=0, le=MAX_AREA,
                                   allow_inf_nan=False)



class Partner(Record, title="共建单位"):
    """共建单位。"""

    name: Text = field("单位名称", "共建单位的名称", min_length=1, max_length=100)
    role: Text | None = field("角色", "在项目中的角色，如 共建单位、出资方、专业支持", default=None, max_length=LABEL)


class Practice(Record, title="做法"):
    """一项具体做法。"""

    title: Text = field("做法标题", "一句话概括这项做法", min_length=1, max_length=100)
    body: str = field("做法内容", "这项做法的经过（可用 Markdown）", min_length=1, max_length=PROSE, markdown=True)


class Story(Record, title="案例正文"):
    """案例正文：背景、做法、成效。"""

    background: str | None = field("背景与起因", "为什么做这个品牌（可用 Markdown）", default=None, max_length=PROSE,
                                   markdown=True)
    practices: list[Practice] = field("做法与经过", "具体做法，至少一项，按顺序写", min_length=1, max_length=FEW)
    outcomes: str | None = field("成效与反响", "取得的成效和各方反响（可用 Markdown）", default=None, max_length=PROSE,
                                 markdown=True)


class Metric(Record, title="关键数字"):
    """一个关键数字，在页面上大字显示。"""

    label: Text = field("指标名称", "这个数字说的是什么，如 服务群众", min_length=1, max_length=LABEL)
    value: float = field("数值", "数字本身，不带单位，如 30000", ge=-MAX_FIGURE, le=MAX_FIGURE, allow_inf_nan=False)
    unit: Text | None = field("单位", "如 人次、台、件", default=None, max_length=20)
    as_of: PartialDate | None = field("统计时间", "数字截至的时间，如 2022-11", default=None)


class Contact(Record, title="联系方式"):
    """联系方式：只写单位，不写个人姓名和私人电话。"""

    org: Text = field("联系单位", "负责解答的单位，如 洲心街道连江社区居委会", min_length=1, max_length=100)
    phone: Text | None = field("单位电话", "单位的办公电话，不写私人手机", default=None, max_length=LABEL)
    email: Text | None = field("单位邮箱", "单位的公开邮箱", default=None, max_length=100)
    address: Text | None = field("单位地址", "单位的办公地址", default=None, max_length=200)


class Replication(Record, title="可复制要点"):
    """可复制要点：别的街道照着做需要知道的事。"""

    fit: list[Sentence] = field("适用条件", "适合在什么样的社区推广", min_length=1, max_length=FEW)
    steps: list[Sentence] = field("实施步骤", "按先后顺序写的步骤", min_length=1, max_length=FEW)
    resources: list[Sentence] = field("所需资源", "人员、场地、资金、共建单位等", default=[], max_length=FEW)
    cautions: list[Sentence] = field("注意事项", "容易出问题的地方和要避免的做法", default=[], max_length=FEW)
    contact: Contact = field("联系方式", "想学习这个案例时找谁（单位）")


class Activity(Record, title="活动"):
    """一项活动：一次性的或重复的。"""

    title: Text = field("活动名称", "如 周五环境卫生整治", min_length=1, max_length=100)
    description: str | None = field("活动说明", "活动内容（可用 Markdown）", default=None, max_length=PROSE,
                                    markdown=True)
    location: Text | None = field("地点", "活动地点", default=None, max_length=200)
    start: DateOrDateTime = field(
        "开始时间", "只写日期（全天活动）如 2024-03-01，或日期加时间如 2024-03-01 09:00"
    )
    end: DateOrDateTime | None = field("结束时间", "与开始时间同样的写法；也可以改写时长 duration", default=None)
    duration: Duration | None = field("时长", "如 2h、90m、1h30m、2小时；与结束时间二选一", default=None)
    tz: str | None = field("时区", "默认 Asia/Shanghai（北京时间），一般不用写", default=None, max_length=64)
    repeat: str | None = field(
        "重复", "如 每周五、每月15日、每年重阳节，或 RFC 5545 的 RRULE；不重复就不写", default=None, min_length=1,
        max_length=LINE,
    )
    until: DateOrDateTime | None = field("重复截止", "重复到哪一天为止；与次数 count 二选一", default=None)
    count: int | None = field("重复次数", "一共举办几次；与重复截止 until 二选一", default=None, ge=1, le=MAX_COUNT)
    except_: list[DateOrDateTime] = field(
        "跳过日期", "不举办的日期，如 [2024-10-04]", default=[], alias="except", max_length=MANY
    )
    status: Literal["confirmed", "cancelled"] = field(
        "状态", "confirmed 照常举办，cancelled 已取消", default="confirmed"
    )
    example: bool = field(
        "示例活动", "true：这是为演示编写的示例，不是真实的活动安排；网站、日历和数据接口都会标明“示例”",
        default=False,
    )



class Image(Record, title="图片"):
    """图集中的一张图片。"""

    src: ContentPath = field("图片路径", "图片在 content/ 下的路径，如 images/zhouxin-lianjiang/park.jpg")
    alt: Text = field("替代文字", "图片内容的文字描述，给看不见图片的人读（必填）", min_length=1, max_length=LINE)
    caption: Text | None = field("图片说明", "显示在图片下方的说明", default=None, max_length=LINE)
    credit: Text | None = field("图片来源", "拍摄者或提供单位", default=None, max_length=100)
    people: bool = field("有可辨认的人", "图片里能认出具体的人时写 true", default=False)
    consent: bool = field("已获同意", "图片里的人同意公开时写 true；people 为 true 时必须为 true", default=False)
    focus: list[Annotated[float, Field(ge=0, le=1)]] | None = field(
        "焦点", "卡片缩略图裁成正方形时围绕的位置 [横, 竖]，各为 0 到 1 的小数：[0, 0] 左上角，[0.5, 0.5] 正中，"
        "[0.3, 0.4] 偏左偏上；不写时照片取正中，图形（PNG、GIF、WebP，如品牌卡片、图表）整张缩小放入、不裁剪",
        default=None, min_length=2, max_length=2)


class Source(Record, title="来源"):
    """案例事实的出处。"""

    title: Text = field("标题", "报道或文件的标题", min_length=1, max_length=LINE)
    publisher: Text = field("发布单位", "如 南方日报", min_length=1, max_length=100)
    date: PartialDate | None = field("发布日期", "如 2022-11-26", default=None)
    url: WebUrl | None = field("网址", "原文网址，没有就写 null", default=None)


class Case(Record, title="案例"):
    """一社区一品牌的案例记录。"""

    id: Slug | None = field(
        "编号", "案例编号，只用小写字母、数字和连字符；不写时取文件名，写了就必须和文件名相同", default=None
    )
    status: Literal["published", "draft"] = field(
        "状态", "published 发布，draft 草稿（检查但不发布）", default="published"
    )
    brand: Brand = field("品牌", "品牌名称、口号、启动时间、标志")
    community: Community = field("社区", "品牌所属的社区和地区")
    summary: Summary = field(
        "简介", f"纯文字，{SUMMARY_MIN}–{SUMMARY_MAX} 字，用于卡片、搜索结果和分享",
        min_length=SUMMARY_MIN, max_length=SUMMARY_MAX,
    )
    themes: ThemeList = field("主题", "1–5 个主题词，从词表 content/taxonomy.yaml 中选", min_length=1, max_length=5)
    groups: GroupList = field("服务人群", "服务人群，从词表 content/taxonomy.yaml 中选", default=[])
    partners: list[Partner] = field("共建单位", "参与共建的单位", default=[], max_length=FEW)
    story: Story = field("案例正文", "背景、做法、成效")
    metrics: list[Metric] = field("关键数字", "在页面上大字显示的数字", default=[], max_length=FEW)
    replication: Replication | None = field("可复制要点", "别的街道照着做需要知道的事；发布的案例必须有", default=None)
    activities: list[Activity] = field("活动", "社区活动，一次性或重复的", default=[], max_length=MANY)
    gallery: list[Image] = field("图集", "案例图片", default=[], max_length=MANY)
    sources: list[Source] = field("来源", "案例事实的出处；发布的案例至少一条", default=[], max_length=FEW)
    inspired_by: CaseRef | None = field(
        "借鉴自", "这个品牌学习借鉴的案例：本站的写编号，其他网站的写案例页面的网址；页面上会显示“借鉴自”",
        default=None)
    updated: UpdateDate | None = field("更新日期", "内容最后更新的日期；不写时取文件最后一次提交的日期", default=None)

