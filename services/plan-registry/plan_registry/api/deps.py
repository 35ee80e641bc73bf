"""Small helpers shared by the routers: responses with ETags, idempotency scopes."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from dgplan_shared.identity import Principal

from plan_registry.domain.canonical import etag_of


def with_etag(body: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status_code, headers={"ETag": etag_of(body)})


def scope(principal: Principal, request: Request) -> str:
    return f"{principal.subject}|{request.method} {request.url.path}"[:300]


def runtime_of(request: Request):  # type: ignore[no-untyped-def]
    return request.app.state.runtime
