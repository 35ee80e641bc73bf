"""Small helpers shared by the routers: responses with ETags, idempotency scopes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query, Request
from fastapi.responses import JSONResponse

from dgplan_contracts.identity import Principal

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

# The choices a list accepts, spelled out so the OpenAPI document shows them (an unknown value is a
# 422 naming the parameter). Kept equal to usecases.search.SORTS and domain.hierarchy.ROLES by a test.
NodeSort = Annotated[
    Literal["code", "-code", "name.th", "-name.th", "name.en", "-name.en"],
    Query(description="Order by code or Thai/English name; '-' for descending"),
]
PlanSort = Annotated[Literal["code", "-code", "start_fy", "-start_fy"], Query(description="'-' for descending")]
RoleFilter = Annotated[
    Literal["lead", "supporting", "responsible", "funding", "accountable", "implementing"] | None,
    Query(description="Nodes on which an agency holds this role (with agency=, that agency)"),
]
