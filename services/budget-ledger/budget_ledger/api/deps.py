"""Async dependencies: a plain ``def`` dependency makes FastAPI hop to a worker thread on every
request, which costs more than the work itself on the posting hot path."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Request

from dgplan_contracts.assertion import optional_principal, principal_from_request
from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.service import Runtime

Q = TypeVar("Q")
R = TypeVar("R")


async def caller(request: Request) -> Principal:
    return principal_from_request(request)


async def maybe_caller(request: Request) -> Principal | None:
    return optional_principal(request)


async def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime


Caller = Annotated[Principal, Depends(caller)]
MaybeCaller = Annotated[Principal | None, Depends(maybe_caller)]
RuntimeDep = Annotated[Runtime, Depends(runtime_of)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
IfMatch = Annotated[str | None, Header(alias="If-Match", max_length=200)]


async def read(runtime: Runtime, query_handler: Callable[[Q, UnitOfWork], Awaitable[R]], query: Q) -> R:
    """Run a query use case in its own (read-only) unit of work."""
    async with runtime.uow() as uow:
        return await query_handler(query, uow)
