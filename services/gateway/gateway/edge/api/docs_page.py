"""A self-contained HTML page (no CDN, no script, no external asset) listing every operation of
the merged OpenAPI document with its parameters and responses."""

from __future__ import annotations

from html import escape
from typing import Any

_OPERATIONS = ("get", "post", "put", "patch", "delete", "head", "options")

_STYLE = """
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem 2rem;color:#222}
h1{margin-bottom:.2rem}nav a{margin-right:.8rem}
section.op{border:1px solid #ddd;border-radius:6px;margin:.6rem 0;padding:.4rem .8rem}
.m{display:inline-block;min-width:4.5rem;font-weight:700;font-family:monospace;text-transform:uppercase}
.get{color:#0a6}.post{color:#06c}.put,.patch{color:#a60}.delete{color:#c00}
code{background:#f4f4f4;padding:0 .2rem}table{border-collapse:collapse;margin:.3rem 0}
td,th{border:1px solid #ddd;padding:.15rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
details summary{cursor:pointer}.svc{color:#777;font-size:.85rem}
"""


def _schema_name(schema: dict[str, Any] | None) -> str:
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"array of {_schema_name(schema.get('items'))}"
    if "anyOf" in schema:
        return " | ".join(_schema_name(s) for s in schema["anyOf"])
    return str(schema.get("type", "object"))


def _operation(path: str, method: str, op: dict[str, Any]) -> str:
    parts = [
        f'<section class="op" id="{escape(op.get("operationId", method + path), quote=True)}">',
        (
            f'<details><summary><span class="m {method}">{method}</span> <code>{escape(path)}</code> '
            f"— {escape(op.get('summary', ''))} "
            f'<span class="svc">{escape(op.get("x-dgplan-service", "gateway"))}</span></summary>'
        ),
    ]
    if op.get("description"):
        parts.append(f"<p>{escape(op['description'])}</p>")
    params = op.get("parameters", [])
    if params:
        parts.append("<table><tr><th>parameter</th><th>in</th><th>required</th><th>type</th><th>description</th></tr>")
        for p in params:
            parts.append(
                f"<tr><td><code>{escape(p.get('name', ''))}</code></td><td>{escape(p.get('in', ''))}</td>"
                f"<td>{'yes' if p.get('required') else 'no'}</td><td>{escape(_schema_name(p.get('schema')))}</td>"
                f"<td>{escape(p.get('description', ''))}</td></tr>"
            )
        parts.append("</table>")
    body = op.get("requestBody", {}).get("content", {})
    for media, content in body.items():
        parts.append(f"<p>Body <code>{escape(media)}</code>: {escape(_schema_name(content.get('schema')))}</p>")
    parts.append("<table><tr><th>status</th><th>meaning</th><th>body</th></tr>")
    for status, response in op.get("responses", {}).items():
        media = ", ".join(f"{m}: {_schema_name(c.get('schema'))}" for m, c in (response.get("content") or {}).items())
        parts.append(
            f"<tr><td>{escape(str(status))}</td><td>{escape(response.get('description', ''))}</td>"
            f"<td>{escape(media)}</td></tr>"
        )
    parts.append("</table></details></section>")
    return "".join(parts)


def render(document: dict[str, Any]) -> str:
    info = document.get("info", {})
    by_tag: dict[str, list[str]] = {}
    for path, item in sorted(document.get("paths", {}).items()):
        for method in _OPERATIONS:
            op = item.get(method)
            if isinstance(op, dict):
                tag = (op.get("tags") or ["other"])[0]
                by_tag.setdefault(tag, []).append(_operation(path, method, op))
    nav = " ".join(f'<a href="#tag-{escape(t, quote=True)}">{escape(t)}</a>' for t in sorted(by_tag))
    sections = "".join(
        f'<h2 id="tag-{escape(t, quote=True)}">{escape(t)}</h2>' + "".join(ops) for t, ops in sorted(by_tag.items())
    )
    missing = document.get("x-dgplan-unavailable")
    warning = f"<p><strong>Not reachable now:</strong> {escape(', '.join(missing))}</p>" if missing else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(info.get('title', 'API'))}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(info.get('title', 'API'))} <small>{escape(str(info.get('version', '')))}</small></h1>"
        f"<p>{escape(info.get('description', ''))}</p>"
        '<p>Machine-readable: <a href="/openapi.json">/openapi.json</a>. Tokens: '
        "<code>POST /oauth2/token</code> with <code>grant_type=client_credentials</code>.</p>"
        f"{warning}<nav>{nav}</nav>{sections}</body></html>"
    )
