"""List indicators by code (keyset pages); indicators of projects the caller may not see (another
agency's unapproved proposal) are left out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.web.pagination import decode_cursor, page_of
from monitoring.adapters.repositories import repositories
from monitoring.application.project_visibility import indicator_scope
from monitoring.application.views import indicator_view


@dataclass(frozen=True)
class ListIndicators:
    principal: Principal
    link_type: str | None = None
    link_id: str | None = None
    measure_type: str | None = None
    descending: bool = False
    limit: int = 50
    cursor: str | None = None


async def handle(query: ListIndicators, uow: UnitOfWork) -> dict[str, Any]:
    after = decode_cursor(query.cursor, str)
    repos = repositories(uow)
    scope = await indicator_scope(repos, query.principal)
    rows = await repos.indicators.page(
        link_type=query.link_type, link_id=query.link_id, measure_type=query.measure_type,
        descending=query.descending, after_code=None if after is None else after[0], limit=query.limit + 1,
        visible_projects=scope.visible_projects(),
    )
    page, next_cursor = page_of(rows, query.limit, lambda r: [r["code"]])
    targets = await repos.indicators.targets_text([r["indicator_id"] for r in page])
    return {"items": [indicator_view(r, targets[r["indicator_id"]]) for r in page], "next_cursor": next_cursor}
