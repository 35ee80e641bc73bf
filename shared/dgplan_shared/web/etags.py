"""Entity tags: optimistic concurrency on updates (``If-Match``) and conditional reads
(``If-None-Match`` → 304), with one tag format for every service.

Tags are strong: ``"<kind>-<id>-<version>"`` for versioned rows, or a content hash. A missing
``If-Match`` on an update is a 428, a stale one a 412.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dgplan_shared.errors import ProblemError


def version_etag(kind: str, ident: object, version: int) -> str:
    return f'"{kind}-{ident}-{version}"'


def content_etag(value: Any) -> str:
    digest = hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest()
    return f'"{digest[:32]}"'


def _candidates(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}


def etag_matches(header: str | None, current: str) -> bool:
    """Whether an ``If-Match``/``If-None-Match`` value names ``current`` (or is ``*``)."""
    if header is None:
        return False
    found = _candidates(header)
    return "*" in found or current.removeprefix("W/") in found


def require_if_match_sent(if_match: str | None, what: str = "resource") -> None:
    """428 when If-Match is missing: a fault of the request itself, so callers check it before
    the state of the resource (a frozen version's 409 must not hide a missing header)."""
    if if_match is None or not if_match.strip():
        raise ProblemError(
            428, "precondition-required", "If-Match required",
            f"Send the {what}'s ETag in If-Match so that concurrent changes are not lost.",
        )


def require_if_match(if_match: str | None, current: str, what: str = "resource") -> None:
    require_if_match_sent(if_match, what)
    if not etag_matches(if_match, current):
        raise ProblemError(
            412, "precondition-failed", "Precondition failed",
            f"The {what} changed since you read it (its ETag is now {current}); read it again and retry.",
            current_etag=current,
        )


# Headers a 304 keeps (RFC 9110 §15.4.5); the body and its length go.
_KEPT_ON_304 = {b"etag", b"cache-control", b"vary", b"content-location", b"expires", b"date", b"x-request-id",
                b"traceparent"}


class ConditionalGetMiddleware:
    """Answers a GET or HEAD whose ``If-None-Match`` names the response's ``ETag`` with 304.

    It saves the transfer for every route that sets an ETag; routes serving immutable documents
    also check ``etag_matches`` themselves first, to save building the answer too.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if_none_match = next((v for k, v in scope.get("headers") or () if k == b"if-none-match"), None)
        if if_none_match is None:
            await self.app(scope, receive, send)
            return
        wanted = if_none_match.decode("latin-1")
        swallowing = False

        async def send_304_if_matched(message: Message) -> None:
            nonlocal swallowing
            if message["type"] == "http.response.start":
                headers = message.get("headers") or []
                etag = next((v.decode("latin-1") for k, v in headers if k.lower() == b"etag"), None)
                if message["status"] == 200 and etag is not None and etag_matches(wanted, etag):
                    swallowing = True
                    kept = [(k, v) for k, v in headers if k.lower() in _KEPT_ON_304]
                    await send({"type": "http.response.start", "status": 304, "headers": kept})
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                    return
            elif swallowing:
                return
            await send(message)

        await self.app(scope, receive, send_304_if_matched)
