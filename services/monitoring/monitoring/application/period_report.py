"""Mid-year and year-end reports: the scorecard as of the end of Q2 or Q4, with budget execution
by strategy and by agency."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid, not_found
from monitoring.adapters.repositories import Repositories, repositories
from monitoring.application.budget_execution import budget_execution
from monitoring.application.project_visibility import Version, project_scope
from monitoring.application.scorecard import build_scorecard, plan_row
from monitoring.domain.access import require_plan_reader
from monitoring.domain.evaluation import Thresholds
from monitoring.domain.fiscal import FiscalQuarter

Period = Literal["mid-year", "year-end"]
_LAST_QUARTER = {"mid-year": 2, "year-end": 4}


@dataclass(frozen=True)
class GetPeriodReport:
    principal: Principal | None
    kind: Period
    fiscal_year: int
    rules: Thresholds
    plan_id: str | None = None
    version: Version | None = None


async def _plan_for_year(repos: Repositories, plan_id: str | None, fiscal_year: int) -> dict[str, Any]:
    if plan_id is not None:
        return await plan_row(repos, plan_id)
    rows = await repos.read_models.plans_covering(fiscal_year)
    if not rows:
        raise not_found("plan covering fiscal year", fiscal_year)
    if len(rows) > 1:
        raise invalid("plan_id", "several plans cover this fiscal year; name one")
    return rows[0]


async def handle(query: GetPeriodReport, uow: UnitOfWork) -> dict[str, Any]:
    """The scorecard (``card``) and the report around it: the route renders CSV from the card."""
    repos = repositories(uow)
    plan = await _plan_for_year(repos, query.plan_id, query.fiscal_year)
    require_plan_reader(query.principal, plan)
    scope = await project_scope(repos, query.principal, query.version, plan["plan_id"])
    as_of = FiscalQuarter(query.fiscal_year, _LAST_QUARTER[query.kind]).end
    card = await build_scorecard(repos, plan["plan_id"], query.fiscal_year, as_of, query.rules, scope=scope)
    by_strategy = await budget_execution(repos, "strategy", plan["plan_id"], query.fiscal_year)
    by_agency = await budget_execution(repos, "agency", plan["plan_id"], query.fiscal_year)
    return {"report": query.kind, **card, "budget_execution": {"by_strategy": by_strategy["rows"],
                                                                "by_agency": by_agency["rows"]}}
