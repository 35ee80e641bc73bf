"""What the routers share: callers, headers, query parameters, and the way reads and writes run."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, Any, Literal, TypeVar

from fastapi import Depends, Header, Query, Request
from fastapi.responses import Response

from dgplan_contracts.assertion import optional_principal, principal_from_request
from dgplan_contracts.fiscal import FY_MAX, FY_MIN
from dgplan_contracts.identity import Principal
from dgplan_shared.commands import json_response
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.web.etags import content_etag

Q = TypeVar("Q")
R = TypeVar("R")

Viewer = Annotated[Principal | None, Depends(optional_principal)]
Caller = Annotated[Principal, Depends(principal_from_request)]
IdemKey = Annotated[str | None, Header(alias="Idempotency-Key")]
IfMatch = Annotated[str | None, Header(alias="If-Match")]

FiscalYearQuery = Annotated[
    int | None,
    Query(ge=FY_MIN, le=FY_MAX, description="Buddhist-Era fiscal year, e.g. 2565 (1 Oct 2021 - 30 Sep 2022)"),
]
Limit = Annotated[int, Query(ge=1, le=200)]

# The choices a list accepts, spelled out so the OpenAPI document shows them (an unknown value is a
# 422 naming the parameter). Kept equal to the repositories' sorts and domain.hierarchy.ROLES by a test.
NodeSort = Annotated[
    Literal["code", "-code", "name.th", "-name.th", "name.en", "-name.en", "relevance"] | None,
    Query(description=(
        "Order by code or Thai/English name ('-' for descending), or by relevance to q: substring matches "
        "first, then by how many of q's words match (PostgreSQL: ts_rank), then match position, name length "
        "and code. Default: relevance when q is given, else code; relevance without q is the code order")),
]
PlanSort = Annotated[Literal["code", "-code", "start_fy", "-start_fy"], Query(description="'-' for descending")]
RoleFilter = Annotated[
    Literal["lead", "supporting", "responsible", "funding", "accountable", "implementing"] | None,
    Query(description="Nodes on which an agency holds this role (with agency=, that agency)"),
]


def etag(body: Any) -> Mapping[str, str]:
    return {"ETag": content_etag(body)}


async def read(request: Request, handler: Callable[[Q, UnitOfWork], Awaitable[R]], query: Q) -> R:
    """Run a read use case in its own unit of work (nothing to commit)."""
    async with request.app.state.runtime.uow() as uow:
        return await handler(query, uow)


async def read_with_etag(request: Request, handler: Callable[[Q, UnitOfWork], Awaitable[Any]], query: Q) -> Response:
    body = await read(request, handler, query)
    return json_response(body, headers=etag(body))
