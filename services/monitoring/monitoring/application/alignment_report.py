"""Budget and progress of a plan by goal of a national framework (the 20-year National Strategy by
default): what the plan puts toward each goal, what the ledger allocated, committed and disbursed
toward it, and how far the projects counted to it have come.

Every baht is counted to exactly one row (domain/alignment.py says which), so the rows add up to
the plan's totals, to the satang: the planned framework to the plan's budget framework, the ledger
columns to what budget execution shows for the plan. The framework column is the plan's whole
framework (per strategy) even when a fiscal year narrows the ledger columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from monitoring.adapters.repositories import Repositories, repositories
from monitoring.application.project_visibility import ProjectScope, Version, project_scope, projects_shown
from monitoring.application.scorecard import plan_row
from monitoring.domain.access import require_plan_reader
from monitoring.domain.alignment import GoalLinks, PlanFigures, by_goal

NATIONAL_STRATEGY = "national-strategy"


@dataclass(frozen=True)
class GetAlignmentReport:
    principal: Principal | None
    plan_id: str
    framework: str = NATIONAL_STRATEGY
    fiscal_year: int | None = None
    version: Version | None = None


async def handle(query: GetAlignmentReport, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    plan = await plan_row(repos, query.plan_id)
    require_plan_reader(query.principal, plan)
    scope = await project_scope(repos, query.principal, query.version, query.plan_id)
    return await alignment_report(repos, plan, query.framework, query.fiscal_year, scope)


def _latest_percent(reports: list[dict[str, Any]], fiscal_year: int | None) -> Decimal | None:
    counted = [r for r in reports if fiscal_year is None or r["fiscal_year"] <= fiscal_year]
    if not counted:
        return None
    return Decimal(max(counted, key=lambda r: (r["fiscal_year"], r["quarter"]))["percent_complete"])


async def alignment_report(
    repos: Repositories, plan: dict[str, Any], framework: str, fiscal_year: int | None, scope: ProjectScope,
) -> dict[str, Any]:
    plan_id = plan["plan_id"]
    links = GoalLinks.of(await repos.read_models.alignments(plan_id, framework))
    # Money counts wherever a project sits, whoever asks: as the approved version places it, else latest.
    placement = {p["project_id"]: p for p in await repos.read_models.projects_of_plan(plan_id)}
    placement.update({p["project_id"]: p for p in await repos.read_models.approved_projects_of_plan(plan_id)})
    shown = await projects_shown(repos, plan_id, scope)
    reports = await repos.reports.latest_revisions([p["project_id"] for p in shown])
    figures = PlanFigures(
        plan_framework=plan["budget_framework"],
        strategies=await repos.read_models.strategies(plan_id),
        placement=placement,
        postings=await repos.read_models.budget_by_project(plan_id, fiscal_year),
        progress=[(p, _latest_percent(reports.get(p["project_id"], []), fiscal_year)) for p in shown],
    )
    return {
        "plan_id": plan_id,
        "plan_code": plan["code"],
        "framework": framework,
        "fiscal_year": fiscal_year,
        "version": scope.version,
        **by_goal(links, figures),
    }
