"""What a request body may be, checked before any parser or validator sees it.

- JSON nested deeper than ``MAX_JSON_DEPTH`` is refused with a 400 naming the limit (recursive
  parsers and validators otherwise fail with a RecursionError, a 500);
- a body in a media type the service does not read (XML, plain text) is a 415, as the OpenAPI
  documents, instead of a 422 about a missing object.

Hand-written because it is this project's rule and the check is a single pass over the bytes
that stops at the first level past the limit.
"""

from __future__ import annotations

import re

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dgplan_shared.errors import ProblemError

MAX_JSON_DEPTH = 64
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BODY_METHODS = {"POST", "PUT", "PATCH"}


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether arrays/objects in ``body`` nest deeper than ``limit`` (brackets inside strings do not count)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # cannot nest deeper than the number of openers
    depth = 0
    for byte in _STRINGS.sub(b"", body):
        if byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return False


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


class BodyShapeMiddleware:
    """Refuses over-deep JSON (400) and unreadable media types (415) before routing."""

    def __init__(self, app: ASGIApp, other_media_types: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.other_media_types = other_media_types

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        content_type = next((v for k, v in scope.get("headers") or () if k == b"content-type"), b"")
        media_type = content_type.decode("latin-1").split(";", 1)[0].strip().lower()
        if media_type and not _is_json(media_type):
            if media_type not in self.other_media_types:
                await _refuse(scope, send, ProblemError(
                    415, "unsupported-media-type", "Unsupported media type",
                    f"This API reads application/json request bodies, not {media_type}.",
                ))
                return
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if json_depth_exceeds(body):
            await _refuse(scope, send, ProblemError(
                400, "json-too-deep", "JSON nested too deeply",
                f"Arrays and objects may nest at most {MAX_JSON_DEPTH} levels deep.",
                limit=MAX_JSON_DEPTH,
            ))
            return
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send)


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive


async def _refuse(scope: Scope, send: Send, problem: ProblemError) -> None:
    body = orjson.dumps(problem.to_dict(scope.get("path")))
    await send({"type": "http.response.start", "status": problem.status,
                "headers": [(b"content-type", b"application/problem+json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
