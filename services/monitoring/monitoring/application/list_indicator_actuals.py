"""Every actual of a plan-level indicator, every revision (a few per year: one page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from monitoring.adapters.repositories import repositories
from monitoring.application.get_indicator import visible_indicator
from monitoring.application.views import actual_view


@dataclass(frozen=True)
class ListIndicatorActuals:
    principal: Principal
    indicator_id: str
    fiscal_year: int | None = None


async def handle(query: ListIndicatorActuals, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    await visible_indicator(repos, query.principal, query.indicator_id)  # 404 for an unknown or hidden one
    rows = await repos.indicators.actuals(query.indicator_id, query.fiscal_year)
    return {"items": [actual_view(r) for r in rows], "next_cursor": None}
