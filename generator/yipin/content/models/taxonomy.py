"""The controlled vocabularies (content/taxonomy.yaml) and the terms records use."""

from __future__ import annotations

import difflib
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationInfo
from pydantic_core import PydanticCustomError

from yipin.content.models.base import Record, field
from yipin.content.models.types import Text

__all__ = ["Term", "Taxonomy", "ThemeList", "GroupList"]

TERM, DESCRIPTION = 20, 300  # a term is a word or two; its description one sentence
Word = Annotated[Text, Field(min_length=1, max_length=TERM)]


class Term(Record, title="词条"):
    """受控词表中的一个词条。"""

    term: Text = field("词条", "规范用词，案例里就写这个词", min_length=1, max_length=TERM)
    description: Text = field("说明", "一句话说明这个词条指什么，帮助编辑选词", min_length=1, max_length=DESCRIPTION)
    aliases: list[Word] = field("别称", "编辑可能写成的其他说法，会自动换成规范用词", default=[], max_length=20)


class Taxonomy(Record, title="词表"):
    """受控词表：案例的主题和服务人群只能从这里选。"""

    themes: list[Term] = field("主题", "案例可选的主题词（themes）", min_length=1, max_length=200)
    groups: list[Term] = field("服务人群", "案例可选的服务人群（groups）", min_length=1, max_length=200)

    def resolve(self, vocabulary: str) -> dict[str, str]:
        """Every accepted word of a vocabulary -> its canonical term."""
        words: dict[str, str] = {}
        for term in getattr(self, vocabulary):
            words[term.term] = term.term
            words.update({alias: term.term for alias in term.aliases})
        return words


def _term_of(vocabulary: str, label: str) -> AfterValidator:
    """Check a word against the taxonomy passed in the validation context and replace an
    alias by its canonical term. Without a taxonomy (schema generation) words pass."""

    def check(word: str, info: ValidationInfo) -> str:
        taxonomy: Taxonomy | None = (info.context or {}).get("taxonomy")
        if taxonomy is None:
            return word
        accepted = taxonomy.resolve(vocabulary)
        if word in accepted:
            return accepted[word]
        close = difflib.get_close_matches(word, list(accepted), n=1, cutoff=0.5)
        hint = f"你是不是想写“{accepted[close[0]]}”？" if close else (
            f"可选的{label}有：" + "、".join(t.term for t in getattr(taxonomy, vocabulary)))
        raise PydanticCustomError(
            "taxonomy-term", "“{word}”不在词表 content/taxonomy.yaml 的{label}里。{hint}",
            {"word": word, "label": label, "hint": hint},
        )

    return AfterValidator(check)


def _no_repeats(words: list[str]) -> list[str]:
    for i, word in enumerate(words):
        if word in words[:i]:
            raise PydanticCustomError("taxonomy-repeat", "“{word}”写了两次", {"word": word})
    return words


ThemeList = Annotated[list[Annotated[Text, _term_of("themes", "主题")]], AfterValidator(_no_repeats)]
GroupList = Annotated[list[Annotated[Text, _term_of("groups", "服务人群")]], AfterValidator(_no_repeats)]
