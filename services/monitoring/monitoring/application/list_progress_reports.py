"""List progress reports (every revision, or only the current ones) in period order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import AGENCY, OVERSIGHT_ROLES, Principal, require_role
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid
from dgplan_shared.web.pagination import decode_cursor, page_of
from monitoring.adapters.repositories import repositories
from monitoring.application.views import report_view
from monitoring.domain.access import takes_part

_INT_MAX = 2**31  # cursor parts compared with INTEGER columns: a forged huge one is refused


@dataclass(frozen=True)
class ListProgressReports:
    principal: Principal
    project_id: str | None = None
    fiscal_year: int | None = None
    quarter: int | None = None
    agency: str | None = None
    latest_only: bool = False
    descending: bool = False
    limit: int = 50
    cursor: str | None = None


def _key(row: dict[str, Any]) -> list[Any]:
    return [row["fiscal_year"], row["quarter"], row["project_id"], row["revision"], row["report_id"]]


async def handle(query: ListProgressReports, uow: UnitOfWork) -> dict[str, Any]:
    principal = query.principal
    require_role(principal, AGENCY, *OVERSIGHT_ROLES)
    after = decode_cursor(query.cursor, int, int, str, int, str)
    if after is not None and any(isinstance(v, int) and abs(v) >= _INT_MAX for v in after):
        raise invalid("cursor", "not a cursor this list returned")
    repos = repositories(uow)
    visible = None
    if not principal.oversees:
        # An agency sees the reports of projects it takes part in (lead agency reports them).
        visible = [r["project_id"] for r in await repos.read_models.project_participants()
                   if takes_part(principal, r)]
    rows = await repos.reports.listing(
        project_id=query.project_id, fiscal_year=query.fiscal_year, quarter=query.quarter, agency=query.agency,
        project_ids=visible, after=after, descending=query.descending,
        limit=None if query.latest_only else query.limit + 1,
    )
    if query.latest_only:
        newest: dict[tuple, int] = {}
        for row in rows:
            slot = (row["project_id"], row["fiscal_year"], row["quarter"])
            newest[slot] = max(newest.get(slot, 0), row["revision"])
        rows = [x for x in rows if x["revision"] == newest[(x["project_id"], x["fiscal_year"], x["quarter"])]]
    page, next_cursor = page_of(rows, query.limit, _key)
    return {"items": [report_view(x) for x in page], "next_cursor": next_cursor}
