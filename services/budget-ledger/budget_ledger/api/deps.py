"""Async wrappers of the shared dependencies: a plain ``def`` dependency makes FastAPI hop to a
worker thread on every request, which costs more than the work itself on the posting hot path."""

from __future__ import annotations

from fastapi import Request

from dgplan_contracts.identity import Principal
from dgplan_contracts.assertion import optional_principal, principal_from_request
from dgplan_shared.problems import invalid
from dgplan_shared.service import Runtime


async def caller(request: Request) -> Principal:
    return principal_from_request(request)


async def maybe_caller(request: Request) -> Principal | None:
    return optional_principal(request)


async def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime


async def refuse_nul(request: Request) -> None:
    """PostgreSQL cannot store or compare text with NUL: refuse it up front (422, not a 500)."""
    if "\x00" in request.url.path or "%00" in request.url.path:
        raise invalid("path", "must not contain NUL characters")
    for name, value in request.query_params.multi_items():
        if "\x00" in name or "\x00" in value:
            raise invalid(name, "must not contain NUL characters")
