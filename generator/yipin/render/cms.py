"""Web editing for staff who never touch git: Sveltia CMS at /admin/.

The configuration (admin/config.yml) is generated from the record models through
fields.py, so every field the models have appears with its Chinese label, hint, required
flag and a fitting widget, and the editor can never drift from what `yipin check`
accepts. The CMS itself is the pinned npm package (package.json), copied into the site
with its CDN addresses pointed at local copies (cms_assets.py).

Choices the models cannot make:
* Dates are text with the model's pattern, not the datetime widget: records hold partial
  dates (2021-12) and all-day or timed activities, which the date picker cannot express.
* Defaults are the models' own: Sveltia also fills a default into an existing record that
  lacks the field, so any other default would change a record just by saving it (a
  "draft" default unpublished every case that relied on `status` being absent).
* The file name is the id: typed once when a case is created, checked against its pattern.
* Pictures go to content/images/<case id>/, and the path written is relative to content/.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel

from yipin import tools
from yipin.config import CmsSettings, Settings
from yipin.content.fields import FieldSpec, fields_of
from yipin.content.models import ID_PATTERN, Case, Street, Taxonomy
from yipin.render.cms_assets import PACKAGE, cms_assets
from yipin.render.csp import SITE_POLICY, policy_meta

__all__ = ["cms_config", "cms_files", "widget_of", "admin_policy"]

ADMIN = "admin/"
REPO_PLACEHOLDER = "your-org/your-site"   # until mkdocs.yml names the repository (cms.repo)

# The widget for each field kind (fields.py); the rest of each entry comes from the field.
WIDGETS = {
    "markdown": "markdown", "text": "text", "string": "string", "slug": "string", "date": "string",
    "datetime": "string", "duration": "string", "url": "string", "integer": "number", "number": "number",
    "boolean": "boolean", "choice": "select", "term": "select", "image": "image",
}


def cms_files(settings: Settings, taxonomy: Taxonomy) -> dict[str, str | bytes]:
    config = cms_config(settings, taxonomy, _repo_path(settings.content, settings.root))
    return {
        ADMIN + "index.html": _index_html(settings.site_name, admin_policy(settings.cms)),
        ADMIN + "config.yml": yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120),
        **{ADMIN + path: data for path, data in cms_assets(tools.package_path(PACKAGE, settings.root)).items()},
    }


def cms_config(settings: Settings, taxonomy: Taxonomy, content: str = "content") -> dict[str, Any]:
    config: dict[str, Any] = {
        "backend": _backend(settings.cms),
        "app_title": f"{settings.site_name} · 网页编辑",
        "media_folder": f"{content}/images",
        "public_folder": "/images",
        "output": {"omit_empty_optional_fields": True},
        "collections": [
            _collection(Case, "cases", "案例", content, taxonomy, extra={
                "summary": "{{fields.brand.name}}（{{fields.community.name}}）",
                "identifier_field": "brand.name",
                # Pictures of a case live in its own folder; the path written is relative to content/.
                "media_folder": f"/{content}/images/{{{{slug}}}}",
                "public_folder": "images/{{slug}}",
                "preview_path": "cases/{{slug}}/",
            }),
            _collection(Street, "streets", "街道档案", content, taxonomy, extra={"identifier_field": "name"}),
        ],
    }
    if settings.site_url:
        config["site_url"] = settings.site_url
    return config


def widget_of(spec: FieldSpec, taxonomy: Taxonomy) -> dict[str, Any]:
    """The CMS field for one model field."""
    entry: dict[str, Any] = {"name": spec.key, "label": spec.title, "hint": spec.description, "required": spec.required}
    if spec.model:
        entry |= {"widget": "list" if spec.many else "object",
                  "fields": [widget_of(child, taxonomy) for child in spec.children]}
        if spec.many:
            first = spec.children[0].key
            entry |= {"label_singular": spec.title, "summary": f"{{{{fields.{first}}}}}", "collapsed": "auto"}
    elif spec.many and spec.kind != "term":
        entry["widget"] = "list"   # one item per line
    else:
        entry |= {"widget": WIDGETS[spec.kind], **_options(spec, taxonomy)}
    if spec.many:
        entry |= {k: v for k, v in (("min", spec.list_schema.get("minItems")),
                                    ("max", spec.list_schema.get("maxItems"))) if v is not None}
    if spec.default not in (None, []) and not spec.model:
        entry["default"] = spec.default
    return entry


def _options(spec: FieldSpec, taxonomy: Taxonomy) -> dict[str, Any]:
    value = spec.schema
    if spec.kind == "choice":
        return {"options": [{"label": _choice_label(spec, c), "value": c} for c in spec.choices]}
    if spec.kind == "term":
        return {"multiple": True, "options": [{"label": t.term, "value": t.term} for t in getattr(taxonomy, spec.key)]}
    if spec.kind in {"integer", "number"}:
        return {"value_type": "int" if spec.kind == "integer" else "float",
                **({"min": value["minimum"]} if "minimum" in value else {})}
    if spec.kind == "image":
        return {"choose_url": False}
    if "pattern" in value:
        return {"pattern": [value["pattern"], f"写法不对：{spec.description}"]}
    if spec.kind in {"string", "text"}:
        # a minimum of 1 only means "not empty", which `required` says already
        return {k: value[s] for k, s in (("minlength", "minLength"), ("maxlength", "maxLength")) if value.get(s, 1) > 1}
    return {}


def _choice_label(spec: FieldSpec, choice: str) -> str:
    """A choice's Chinese name, as its field's description gives it ("draft 草稿，…")."""
    named = re.search(rf"(?<![\w-]){re.escape(choice)} ([^\s，、；,;（(]+)", spec.description)
    return f"{named[1]}（{choice}）" if named else choice


def _collection(model: type[BaseModel], folder: str, label: str, content: str, taxonomy: Taxonomy,
                extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": folder,
        "label": label,
        "label_singular": model.model_json_schema()["title"],
        "description": (model.__doc__ or "").strip(),
        "folder": f"{content}/{folder}",
        "extension": "yaml",
        "format": "yaml",
        "create": True,
        # The file name is the id: typed once, when the entry is created.
        "slug": {"editable": ["create"], "pattern": [ID_PATTERN, "编号只能用小写字母、数字和连字符，如 zhouxin-lianjiang"],
                 "hint": "新建时在这里填编号，如 zhouxin-lianjiang：它是文件名，也是网址的一部分，保存后不能再改"},
        **(extra or {}),
        "fields": [widget_of(spec, taxonomy) for spec in fields_of(model)],
    }


def _backend(cms: CmsSettings) -> dict[str, Any]:
    backend = {"name": cms.backend, "repo": cms.repo or REPO_PLACEHOLDER, "branch": cms.branch}
    backend |= {key: getattr(cms, key) for key in ("base_url", "api_root", "app_id") if getattr(cms, key)}
    if cms.backend == "gitlab" and cms.app_id:
        backend["auth_type"] = "pkce"   # GitLab's sign-in without a server-side secret
    return backend


def _repo_path(content: Path, root: Path) -> str:
    """content/ as a path inside the site repository, which is where the CMS commits."""
    try:
        return Path(content).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(content).name


# The hosts each forge's API answers on (a self-hosted forge: its base_url and api_root).
FORGE_HOSTS = {"github": ("https://api.github.com", "https://www.githubstatus.com"),
               "gitlab": ("https://gitlab.com",), "gitea": ()}


def admin_policy(cms: CmsSettings) -> dict[str, tuple[str, ...]]:
    """/admin/'s Content-Security-Policy: the site's own (csp.py) plus the forge the editor
    reads and commits through, and the pictures it previews (from the forge: any https
    host; data: and blob: for files being uploaded, which it also fetches). Sveltia needs no
    inline script and no eval."""
    own = tuple(dict.fromkeys(f"{url.scheme}://{url.netloc}" for url in map(urlsplit, (cms.base_url, cms.api_root))
                              if url.scheme in {"http", "https"} and url.netloc))
    pictures = ("'self'", "data:", "blob:", "https:")
    return {**SITE_POLICY, "script-src": ("'self'",), "img-src": pictures, "media-src": pictures,
            "connect-src": ("'self'", "data:", "blob:", *FORGE_HOSTS[cms.backend], *own), "font-src": ("'self'", "data:"),
            "worker-src": ("'self'", "blob:"), "frame-src": ("'self'", "blob:")}


def _index_html(site_name: str, policy: dict[str, tuple[str, ...]]) -> str:
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
{policy_meta(policy)}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>网页编辑 · {html.escape(site_name)}</title>
<link href="config.yml" type="application/yaml" rel="cms-config-url">
</head>
<body>
<noscript>网页编辑需要启用浏览器的 JavaScript。</noscript>
<script src="sveltia-cms.js"></script>
</body>
</html>
"""
