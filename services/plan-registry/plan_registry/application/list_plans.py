"""Plans, filtered by fiscal year, status of the latest version and text; sorted; a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid
from dgplan_shared.web.pagination import decode_cursor, page_of

from plan_registry.adapters.plan_repository import PLAN_SORTS
from plan_registry.application.repositories import repositories
from plan_registry.domain.access import is_privileged_reader


@dataclass(frozen=True)
class ListPlans:
    principal: Principal | None
    fiscal_year: int | None = None
    status: str | None = None
    q: str | None = None
    sort: str = "code"
    limit: int = 50
    cursor: str | None = None


async def handle(query: ListPlans, uow: UnitOfWork) -> dict[str, Any]:
    sort_key = query.sort.lstrip("-")
    if sort_key not in PLAN_SORTS:
        raise invalid("sort", "one of code, -code, start_fy, -start_fy")
    by_year = sort_key == "start_fy"
    after = decode_cursor(query.cursor, int if by_year else str, str)
    rows = await repositories(uow).plans.search(
        only_approved=not is_privileged_reader(query.principal), fiscal_year=query.fiscal_year, status=query.status,
        q=query.q, sort_key=sort_key, descending=query.sort.startswith("-"), limit=query.limit,
        after=None if after is None else (after[0], after[1]),
    )
    items, next_cursor = page_of(rows, query.limit, lambda p: (p["start_fy"] if by_year else p["code"], p["code"]))
    return {"items": items, "next_cursor": next_cursor}
