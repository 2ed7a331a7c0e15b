"""A starter record for another street that wants to copy a case (可复制可推广).

What is about the original place (region, contact, figures, story text, sources) is
blanked; what is about the method (themes, groups, the practices as a checklist, the
replication kit) is kept. The starter is a valid draft: dropped into content/cases/ it
passes `yipin check` and is never published until its author sets status: published.
"""

from __future__ import annotations

from typing import Any

from yipin.content.annotated_yaml import annotated_yaml
from yipin.content.models import SUMMARY_MIN, Case
from yipin.content.schema import modeline_for

__all__ = ["starter_yaml", "starter_record", "summary_placeholder", "TODO"]

TODO = "（待填写）"


def starter_yaml(case: Case, case_id: str, case_url: str) -> str:
    header = [
        modeline_for("cases/x.yaml"),
        f"# 起步模板：照着“{case.brand.name}”（{case_url}）做一个自己的品牌。",
        "# 1. 把文件改名为你们的编号，如 zhouxin-lianjiang.yaml，放进 content/cases/；",
        f"# 2. 把所有“{TODO}”换成你们自己的内容，删掉不适用的做法和步骤；",
        "# 3. 写好来源 sources，准备发布时把 status 改为 published。",
        f"# 原案例编号：{case_id}",
    ]
    return annotated_yaml(Case, starter_record(case, case_url), header)


def starter_record(case: Case, origin: str | None = None) -> dict[str, Any]:
    """The record of a starter: the method of ``case`` kept, its place and facts blanked.
    ``origin``: the case's id or page address, which the new case says it learnt from
    (inspired_by: who copied whom, yipin/network/copies.py)."""
    record: dict[str, Any] = {
        "status": "draft",
        **({"inspired_by": origin} if origin and _citable(origin) else {}),
        "brand": {"name": f"{TODO}你们的品牌名称"},
        "community": {
            "name": f"{TODO}社区名称",
            "kind": case.community.kind,
            "region": {"province": TODO, "city": TODO, "district": TODO,
                       **({} if case.community.kind == "district" else {"street": TODO})},
        },
        "summary": summary_placeholder(f"参考了“{case.brand.name}”的做法。"),
        "themes": list(case.themes),
        **({"groups": list(case.groups)} if case.groups else {}),
        "story": {
            "background": f"{TODO}你们为什么要做这件事：面对的问题和居民的需求。",
            "practices": [{"title": p.title, "body": f"{TODO}参考原案例的做法，写下你们自己的安排。"}
                          for p in case.story.practices],
            "outcomes": f"{TODO}做成了什么，用数字和居民的反馈说明。",
        },
    }
    if case.replication:
        kit = case.replication.model_dump(exclude_none=True, exclude={"contact"})
        record["replication"] = {**{k: v for k, v in kit.items() if v}, "contact": {"org": f"{TODO}负责单位"}}
    return record


def _citable(origin: str) -> bool:
    """A case id, or a published page address (a site without site_url has no address)."""
    return origin.startswith(("http://", "https://")) or "/" not in origin


def summary_placeholder(extra: str = "") -> str:
    """A summary that says what to write and is long enough to pass the check as it is."""
    text = f"{TODO}用 30 到 200 个字介绍你们的品牌：在哪里、为谁、做了什么、有什么成效。{extra}"
    assert len(text) >= SUMMARY_MIN
    return text
