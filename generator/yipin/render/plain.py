"""Plain text in generated Markdown: the one way a record's plain value enters a page.

The page templates write Markdown (headings, table rows) with HTML blocks inside, and
MkDocs renders it with whatever Markdown extensions the site enables. HTML escaping alone
is not enough there: ``{: onclick=…}`` after a heading is an attribute list,
``[x](javascript:…)`` a link, ``![](https://…)`` a remote image, ``|`` splits a table row,
``\\*`` loses its backslash, ``--`` becomes a dash under smarty. So every value printed by
a template is written with each ASCII character that any Markdown syntax uses replaced by
its numeric character reference: Markdown sees no syntax at all, and HTML (text or
attribute) decodes the references back to exactly what staff typed.

Values that already are markup (Markup: rendered and sanitised prose, our own URLs and
SVG) pass through unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

__all__ = ["plain", "front_matter"]

# ASCII punctuation with a meaning in Markdown, its extensions (attr_list, tables, smarty,
# pymdownx: caret, tilde, mark, emoji, magiclink, arithmatex) or HTML. `,;?/%` have none.
_SYNTAX = "!\"#$&'()*+-.:<=>@[\\]^_`{|}~"
_REFERENCES = str.maketrans({ch: f"&#{ord(ch)};" for ch in _SYNTAX})


def plain(value: Any) -> Markup:
    """``value`` as text that Markdown and HTML both show literally (Jinja's finalize)."""
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    return Markup(str(value).translate(_REFERENCES))


def front_matter(fields: Mapping[str, Any]) -> Markup:
    """A page's YAML front matter. Themes print titles and descriptions as HTML, so the
    values are HTML-escaped here, once; JSON strings are valid YAML scalars, and a list of
    them (Material's ``hide``) a valid YAML sequence."""
    lines = [f"{key}: {json.dumps(_escaped(value), ensure_ascii=False)}" for key, value in fields.items()]
    return Markup("---\n" + "\n".join(lines) + "\n---")


def _escaped(value: Any) -> str | list[str]:
    if isinstance(value, (list, tuple)):
        return [str(Markup.escape(item)) for item in value]
    return str(Markup.escape(value))
