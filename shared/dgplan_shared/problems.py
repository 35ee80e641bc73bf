"""RFC 9457 problem details: one stable ``type`` per kind of error, never a bare 500 for bad input.

The errors themselves live in ``dgplan_shared.errors`` (no framework); this module renders them.
"""

from __future__ import annotations

import errno
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.routing import Match

from dgplan_shared.errors import TYPE_PREFIX, ProblemError, conflict, forbidden, invalid, not_found

PROBLEM_JSON = "application/problem+json"

log = logging.getLogger(__name__)

_STATUS_SLUGS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    412: "precondition-failed",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    428: "precondition-required",
    429: "rate-limited",
    500: "internal-error",
    502: "bad-gateway",
    503: "service-unavailable",
    504: "gateway-timeout",
}


def problem_body(
    status: int, slug: str, title: str, detail: str | None = None, instance: str | None = None, **extensions: Any
) -> dict[str, Any]:
    return ProblemError(status, slug, title, detail, **extensions).to_dict(instance)


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=body["status"], media_type=PROBLEM_JSON, headers=headers)


IDEMPOTENCY_KEY_MAX_LENGTH = 200
IDEMPOTENCY_KEY_REQUIRED = (428, "idempotency-key-required")


def checked_idempotency_key(key: str | None) -> str:
    """The Idempotency-Key of a POST that must carry one. Every service answers the same way, so an
    agency system handles one contract: 428 when it is missing, 422 when it is malformed."""
    if key is None or not key.strip():
        raise ProblemError(
            IDEMPOTENCY_KEY_REQUIRED[0], IDEMPOTENCY_KEY_REQUIRED[1], "Idempotency-Key required",
            "Send an Idempotency-Key header (a unique string per intended change) so that a retry has exactly one "
            "effect.",
            errors=[{"field": "Idempotency-Key", "message": "header is required"}],
        )
    if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH or not key.isprintable():
        raise invalid("Idempotency-Key", f"at most {IDEMPOTENCY_KEY_MAX_LENGTH} printable characters")
    return key


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


def _is_outage(exc: BaseException) -> bool:
    if isinstance(exc, (OperationalError, InterfaceError, ConnectionError, TimeoutError)):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OSError) and exc.errno is not None and exc.errno in _CONNECTION_ERRNOS


_CONNECTION_ERRNOS = {errno.ECONNREFUSED, errno.ECONNRESET, errno.EPIPE, errno.ETIMEDOUT, errno.EHOSTUNREACH}


def _allowed_methods(request: Request) -> list[str]:
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods.update(getattr(route, "methods", None) or ())
    return sorted(methods)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        headers = exc.extensions.get("_headers")
        return problem_response(exc.to_dict(request.url.path), headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for err in exc.errors():
            errors.append({"field": _field_name(err.get("loc", ())), "message": err.get("msg", "invalid")})
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        return problem_response(
            problem_body(422, "validation-error", "Request is not valid", detail, request.url.path, errors=errors)
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = _STATUS_SLUGS.get(exc.status_code, "http-error")
        detail = exc.detail if isinstance(exc.detail, str) else None
        title = slug.replace("-", " ").capitalize()
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            # Starlette names only the first matching route's methods; a path served by several
            # routes (GET list, POST create) must list them all (RFC 9110 §15.5.6).
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return problem_response(problem_body(exc.status_code, slug, title, detail, request.url.path), headers or None)

    async def _outage(request: Request, exc: Exception) -> JSONResponse:
        if not _is_outage(exc):
            raise exc  # a real bug: the generic handler below answers 500 and logs it
        # The database is down or restarting: say so, and that a retry will do, instead of a 500
        # with a traceback per request. Nothing was committed.
        log.warning("dependency unavailable", extra={"path": request.url.path, "error": repr(exc)[:300]})
        return problem_response(
            problem_body(503, "service-unavailable", "Service unavailable",
                         "A dependency (the database) is unavailable; retry shortly.", request.url.path),
            {"Retry-After": "1"},
        )

    for outage_type in (DBAPIError, OSError):
        app.add_exception_handler(outage_type, _outage)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"path": request.url.path})
        return problem_response(
            problem_body(500, "internal-error", "Internal error", "The error was logged.", request.url.path)
        )


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": slug.replace("-", " ").capitalize(),
        "content": {
            PROBLEM_JSON: {
                "schema": {
                    "type": "object",
                    "required": ["type", "title", "status"],
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                        "instance": {"type": "string"},
                    },
                    "additionalProperties": True,
                }
            }
        },
    }
    for status, slug in _STATUS_SLUGS.items()
    if status in (400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 429)
}
"""Pass as ``responses=`` to routers so the OpenAPI documents every problem a route can return."""


__all__ = [
    "PROBLEM_JSON", "PROBLEM_RESPONSES", "TYPE_PREFIX", "ProblemError", "checked_idempotency_key", "conflict",
    "forbidden", "install_problem_handlers", "invalid", "not_found", "problem_body", "problem_response",
]
