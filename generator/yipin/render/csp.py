"""The Content-Security-Policy of every public page: defence in depth behind the escaping.

The site is static, so the policy travels in a ``<meta http-equiv>`` at the top of <head>.
It allows this site's own files and nothing from another host (the site promises no foreign
requests), no inline event handler and no ``javascript:`` URL. Inline scripts run only by
hash, and only those the theme writes around a page's content (Material's scope and tab
scripts, 长辈模式's early switch, the library's early start of Pagefind): a script inside the
content, where a record's text lands, is never hashed, so one that slipped through there
would still not run. Pagefind compiles WebAssembly ('wasm-unsafe-eval'); inline style
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

__all__ = ["SITE_POLICY", "site_policy", "with_policy", "policy_meta", "render_policy"]

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


def with_policy(page: str, content: str = "", policy: Mapping[str, tuple[str, ...]] = SITE_POLICY) -> str:
    """``page`` with its policy, hashing the inline scripts outside ``content`` (the part
    of the page that holds record text)."""
    start = page.find(content) if content else -1
    around = page if start < 0 else page[:start] + page[start + len(content):]
    hashes = tuple(dict.fromkeys(_hash(body) for attributes, body in _SCRIPT.findall(around)
                                 if _src_less(attributes) and _executed(attributes)))
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
