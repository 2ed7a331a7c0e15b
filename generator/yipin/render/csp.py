"""The Content-Security-Policy of every public page: defence in depth behind the escaping.

The site is static, so the policy travels in a ``<meta http-equiv>`` at the top of <head>.
It allows this site's own files and nothing from another host (the site promises no foreign
requests), no inline event handler and no ``javascript:`` URL. Inline scripts run only by
hash, and only those the theme's templates themselves contain (Material's scope and tab
scripts, 长辈模式's early switch, the library's early start of Pagefind), read from the
template files (known_scripts): a script that arrives through a value (a site_name in
mkdocs.yml, a record's text) is never hashed, whatever it is and wherever it lands, and
neither is any script inside a page's content. Where a template's script prints a value
(a page's relative way to the site root), the value may be a relative path only. Pagefind compiles WebAssembly ('wasm-unsafe-eval'); inline style
attributes stay allowed (the pictures' placeholder colours).

A portal (yipin/network/) also loads its members' search indexes and card pictures: their
origins join connect-src and img-src (site_policy), and no other.

The web editor at /admin/ has a policy of its own (cms.py): it talks to the forge's API.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

__all__ = ["SITE_POLICY", "KnownScripts", "known_scripts", "site_policy", "with_policy", "policy_meta",
           "render_policy"]

SITE_POLICY: Mapping[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'", "'wasm-unsafe-eval'"),
    "style-src": ("'self'", "'unsafe-inline'"),
    "img-src": ("'self'", "data:"),      # Material's icons are data: SVGs in its stylesheet
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
}


def site_policy(origins: Iterable[str] = ()) -> Mapping[str, tuple[str, ...]]:
    """The public pages' policy; ``origins`` (scheme://host[:port]): a portal's members."""
    origins = tuple(sorted(set(origins)))
    if not origins:
        return SITE_POLICY
    return {**SITE_POLICY, "img-src": (*SITE_POLICY["img-src"], *origins),
            "connect-src": (*SITE_POLICY["connect-src"], *origins)}


_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_EXECUTED = {"", "text/javascript", "application/javascript", "module"}
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.IGNORECASE)


_PRINTED = re.compile(r"(\{\{.*?\}\})", re.DOTALL)   # a Jinja expression: {{ … }}, {{- … -}}
_HOLE = r"(?!//)[A-Za-z0-9._/-]*"   # what a printed value may be inside an approved script: a relative path


class KnownScripts:
    """The inline scripts the theme's templates contain, as the pages may hold them: each
    template's script body, with every value it prints a relative path."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self._pattern = re.compile("|".join(f"(?:{p})" for p in sorted(set(patterns))) or r"(?!)", re.DOTALL)

    def __contains__(self, body: str) -> bool:
        return self._pattern.fullmatch(body) is not None


@lru_cache(maxsize=8)
def known_scripts(folders: tuple[str, ...]) -> KnownScripts:
    """The theme's inline scripts, from the templates (*.html) in ``folders`` (MkDocs' theme
    folders: the site's custom_dir, Yipin's, Material's). A script with Jinja statements or
    comments inside is not known: what it would print cannot be told from the file."""
    patterns = []
    for folder in folders:
        for template in sorted(Path(folder).rglob("*.html")):
            for attributes, body in _SCRIPT.findall(template.read_text(encoding="utf-8", errors="replace")):
                if _src_less(attributes) and _executed(attributes) and "{%" not in body and "{#" not in body:
                    patterns.append(_pattern(body))
    return KnownScripts(patterns)


def _pattern(body: str) -> str:
    """A template's script body as a regular expression: its text as written (less the
    whitespace a ``{{-`` or ``-}}`` trims), each printed value a relative path."""
    tokens = _PRINTED.split(body)          # text, value, text, value, …, text
    for at in range(1, len(tokens), 2):
        if tokens[at].startswith("{{-"):
            tokens[at - 1] = tokens[at - 1].rstrip()
        if tokens[at].endswith("-}}"):
            tokens[at + 1] = tokens[at + 1].lstrip()
    return "".join(_HOLE if at % 2 else re.escape(token) for at, token in enumerate(tokens))


def with_policy(page: str, content: str = "", policy: Mapping[str, tuple[str, ...]] = SITE_POLICY,
                known: KnownScripts | None = None) -> str:
    """``page`` with its policy, hashing the inline scripts outside ``content`` (the part
    of the page that holds record text) that the theme wrote (``known``; None: none is)."""
    start = page.find(content) if content else -1
    around = page if start < 0 else page[:start] + page[start + len(content):]
    known = known or KnownScripts(())
    hashes = tuple(dict.fromkeys(_hash(body) for attributes, body in _SCRIPT.findall(around)
                                 if _src_less(attributes) and _executed(attributes) and body in known))
    directives = {**policy, "script-src": (*policy["script-src"], *hashes)}
    meta = policy_meta(directives)
    charset = _CHARSET.search(page)
    if charset:
        return page[: charset.end()] + "\n" + meta + page[charset.end():]
    head = page.lower().find("<head>")
    if head < 0:
        return page
    return page[: head + len("<head>")] + "\n" + meta + page[head + len("<head>"):]


def policy_meta(policy: Mapping[str, Iterable[str]]) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{render_policy(policy)}">'


def render_policy(policy: Mapping[str, Iterable[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


def _src_less(attributes: str) -> bool:
    return re.search(r"\bsrc\s*=", attributes, re.IGNORECASE) is None


def _executed(attributes: str) -> bool:
    found = _TYPE.search(attributes)
    return (found.group(1).lower() if found else "") in _EXECUTED


def _hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
