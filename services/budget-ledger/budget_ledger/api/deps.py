"""Async wrappers of the shared dependencies: a plain ``def`` dependency makes FastAPI hop to a
worker thread on every request, which costs more than the work itself on the posting hot path."""

from __future__ import annotations

from fastapi import Request

from dgplan_shared.identity import Principal, optional_principal, principal_from_request
from dgplan_shared.service import Runtime


async def caller(request: Request) -> Principal:
    return principal_from_request(request)


async def maybe_caller(request: Request) -> Principal | None:
    return optional_principal(request)


async def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime
