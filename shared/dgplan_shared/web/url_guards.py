"""The text guards for path and query parameters, as a router dependency."""

from __future__ import annotations

from fastapi import Request

from dgplan_shared.errors import invalid
from dgplan_shared.web.guards import text_fault


async def refuse_bad_text_in_url(request: Request) -> None:
    """Router dependency: path and query parameters (async: no thread hop per request)."""
    for name, value in request.path_params.items():
        if isinstance(value, str) and (fault := text_fault(value)):
            raise invalid(name, fault)
    for name, value in request.query_params.multi_items():
        if fault := text_fault(name) or text_fault(value):
            raise invalid(name, fault)
