"""problem+json answers sent straight from pure-ASGI code (the edge runs before the router)."""

from __future__ import annotations

import orjson
from starlette.types import Send

from dgplan_shared.problems import PROBLEM_JSON, problem_body

_TITLES = {
    400: ("bad-request", "Bad request"),
    401: ("unauthenticated", "Authentication required"),
    403: ("forbidden", "Not allowed"),
    429: ("rate-limited", "Too many requests"),
    502: ("bad-gateway", "Bad gateway"),
    503: ("service-unavailable", "Service unavailable"),
    504: ("gateway-timeout", "Gateway timeout"),
}


async def send_problem(
    send: Send,
    status: int,
    detail: str,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **ext: object,
) -> None:
    slug, title = _TITLES.get(status, ("http-error", "Error"))
    body = orjson.dumps(problem_body(status, slug, title, detail, instance, **ext))
    out = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    for name, value in (headers or {}).items():
        out.append((name.lower().encode(), value.encode()))
    await send({"type": "http.response.start", "status": status, "headers": out})
    await send({"type": "http.response.body", "body": body})
