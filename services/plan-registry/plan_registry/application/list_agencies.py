"""Agencies by code, filtered by text and parent ministry (public)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.web.pagination import decode_cursor, page_of

from plan_registry.application.repositories import repositories


@dataclass(frozen=True)
class ListAgencies:
    q: str | None = None
    parent_code: str | None = None
    limit: int = 100
    cursor: str | None = None


async def handle(query: ListAgencies, uow: UnitOfWork) -> dict[str, Any]:
    after = decode_cursor(query.cursor, str)
    rows = await repositories(uow).agencies.search(query.q, query.parent_code, after[0] if after else None, query.limit)
    items, next_cursor = page_of(rows, query.limit, lambda a: (a["code"],))
    return {"items": items, "next_cursor": next_cursor}
