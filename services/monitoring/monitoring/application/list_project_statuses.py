"""The last announced status of every project the caller may see (what committees watch:
``at_risk=true``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import AGENCY, OVERSIGHT_ROLES, Principal, require_role
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.web.pagination import decode_cursor, page_of
from monitoring.adapters.repositories import repositories
from monitoring.domain.access import takes_part


@dataclass(frozen=True)
class ListProjectStatuses:
    principal: Principal
    status: str | None = None
    at_risk: bool | None = None
    plan_id: str | None = None
    strategy_id: str | None = None
    lead_agency: str | None = None
    limit: int = 50
    cursor: str | None = None


async def handle(query: ListProjectStatuses, uow: UnitOfWork) -> dict[str, Any]:
    principal = query.principal
    require_role(principal, AGENCY, *OVERSIGHT_ROLES)
    after = decode_cursor(query.cursor, str, str)
    rows = await repositories(uow).statuses.with_projects(
        status=query.status, at_risk=query.at_risk, plan_id=query.plan_id, strategy_id=query.strategy_id,
        lead_agency=query.lead_agency, after=after,
    )
    if not principal.oversees:
        # An agency sees the projects it takes part in (a plan has tens of projects: filter here).
        rows = [r for r in rows if takes_part(principal, r)]
    page, next_cursor = page_of(rows, query.limit, lambda r: [r["code"] or "", r["project_id"]])
    return {
        "items": [{
            "project_id": r["project_id"], "code": r["code"],
            "title": {"th": r["title_th"], "en": r["title_en"]},
            "plan_id": r["plan_id"], "strategy_id": r["strategy_id"], "lead_agency": r["lead_agency"],
            "registry_status": r["status"],
            "status": r["evaluated_status"], "at_risk": r["at_risk"], "as_of": r["as_of"],
        } for r in page],
        "next_cursor": next_cursor,
    }
