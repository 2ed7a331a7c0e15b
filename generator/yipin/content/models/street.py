"""The street profile: content/streets/<id>.yaml (optional; a street page exists anyway)."""

from __future__ import annotations

from yipin.content.models.base import Record, field
from yipin.content.models.case import FEW, PLACE, PROSE, Source
from yipin.content.models.types import Slug, Text

__all__ = ["StreetRegion", "Street"]


class StreetRegion(Record, title="所在地区"):
    """街道所在的省、市、区县。"""

    province: Text = field("省份", "如 广东省", min_length=1, max_length=PLACE)
    city: Text = field("城市", "如 清远市", min_length=1, max_length=PLACE)
    district: Text = field("区县", "如 清城区", min_length=1, max_length=PLACE)


class Street(Record, title="街道档案"):
    """街道档案：街道页面顶部的介绍。"""

    id: Slug | None = field("编号", "街道编号，只用小写字母、数字和连字符；不写时取文件名", default=None)
    name: Text = field("街道名称", "与案例 region.street 写法完全相同，如 洲心街道", min_length=1, max_length=PLACE)
    region: StreetRegion = field("所在地区", "省、市、区县，须与案例里写的一致")
    intro: str | None = field("街道介绍", "显示在街道页面顶部的介绍（可用 Markdown）", default=None, max_length=PROSE,
                              markdown=True)
    sources: list[Source] = field("来源", "介绍中事实的出处", default=[], max_length=FEW)
