"""What the routers share: callers, headers, query parameters, and the way reads and writes run.

The dependencies are ``async def``: a plain ``def`` one makes FastAPI hop to a worker thread on
every request, which costs more than the work (reading a header, checking an HS256 signature)."""

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
from dgplan_shared.service import Runtime
from dgplan_shared.web.etags import content_etag

from plan_registry.application.kept_representations import KeptReads
from plan_registry.settings import Settings

Q = TypeVar("Q")
R = TypeVar("R")


async def viewer(request: Request) -> Principal | None:
    return optional_principal(request)


async def caller(request: Request) -> Principal:
    return principal_from_request(request)


# The kept reads (plan list, version document, diff) call this in the route instead: each dependency
# FastAPI solves costs about as much as serving a kept answer.
viewer_of = optional_principal
Viewer = Annotated[Principal | None, Depends(viewer)]
Caller = Annotated[Principal, Depends(caller)]
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


KEPT_READS = "plan_registry.kept_reads"


def kept_reads_of(runtime: Runtime) -> KeptReads:
    """The app's kept answers (one per app: made on first use, sized by the settings)."""
    kept = runtime.extras.get(KEPT_READS)
    if kept is None:
        s: Settings = runtime.settings  # type: ignore[assignment]
        kept = runtime.extras[KEPT_READS] = KeptReads(
            max_entries=s.read_cache_entries, max_bytes=s.read_cache_megabytes * 2**20, list_ttl=s.plan_list_ttl_seconds,
        )
    return kept


def kept_reads(request: Request) -> KeptReads:
    """Called by the routes themselves, not as a dependency: one less to solve on the hottest reads."""
    return kept_reads_of(request.app.state.runtime)


def etag(body: Any) -> Mapping[str, str]:
    return {"ETag": content_etag(body)}


async def read(request: Request, handler: Callable[[Q, UnitOfWork], Awaitable[R]], query: Q) -> R:
    """Run a read use case in its own unit of work (nothing to commit)."""
    async with request.app.state.runtime.uow() as uow:
        return await handler(query, uow)


async def read_with_etag(request: Request, handler: Callable[[Q, UnitOfWork], Awaitable[Any]], query: Q) -> Response:
    body = await read(request, handler, query)
    return json_response(body, headers=etag(body))
