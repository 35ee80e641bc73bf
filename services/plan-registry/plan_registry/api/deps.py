"""Small helpers shared by the routers: responses with ETags, idempotency scopes."""

from __future__ import annotations

from typing import Any

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import JSONResponse

from dgplan_shared.identity import Principal

from dgplan_shared.problems import invalid

from plan_registry.domain.canonical import etag_of


def refuse_nul(request: Request) -> None:
    """Router dependency: NUL in a query or path parameter is bad input (PostgreSQL cannot store it)."""
    for name, value in [*request.query_params.multi_items(), *request.path_params.items()]:
        if "\x00" in str(value):
            raise invalid(name, "must not contain a NUL character")


def with_etag(body: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status_code, headers={"ETag": etag_of(body)})


def scope(principal: Principal, request: Request) -> str:
    return f"{principal.subject}|{request.method} {request.url.path}"[:300]


def runtime_of(request: Request):  # type: ignore[no-untyped-def]
    return request.app.state.runtime


FiscalYearQuery = Annotated[
    int | None, Query(ge=2400, le=2800, description="Buddhist-Era fiscal year, e.g. 2565 (1 Oct 2021 - 30 Sep 2022)")
]
Limit = Annotated[int, Query(ge=1, le=200)]
