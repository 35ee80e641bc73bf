"""The query behind the Fiscal Data Package: a plan's budget as the caller may read it.

Frameworks come from the ledger's framework balances and the lines from the appropriations'
balances per stage, so the package states exactly what the ledger's own reports state."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from budget_ledger.adapters.name_repository import NameRepository
from budget_ledger.adapters.open_budget_repository import OpenBudgetRepository
from budget_ledger.application import reconciliation
from budget_ledger.application.access import OVERSIGHT
from budget_ledger.application.repositories import repositories
from budget_ledger.domain.open_budget import (
    Audience,
    BudgetLine,
    Framework,
    FrameworkYear,
    OpenBudget,
    Round,
    round_visible,
    stages_for,
)
from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found


@dataclass(frozen=True)
class OpenBudgetQuery:
    plan_id: str
    viewer: Principal | None


def audience_of(viewer: Principal | None) -> Audience:
    # An agency reads the open package as the public does: its own unpublished money is in
    # GET /api/v1/budget/balances, and an open-data file must not depend on whose token fetched it.
    return Audience.OVERSIGHT if viewer is not None and viewer.has(*OVERSIGHT) else Audience.PUBLIC


async def _frameworks(
    uow: UnitOfWork, plan_id: str, names: dict[str, Any]
) -> tuple[list[Framework], list[FrameworkYear]]:
    figures = await repositories(uow).ledger.framework_figures(plan_id)
    frameworks: list[Framework] = []
    years: list[FrameworkYear] = []
    for key, amount in figures.items():
        if key.strategy_id == "" and key.fiscal_year == 0:
            frameworks.append(Framework(plan_id, "plan", amount))
        elif key.strategy_id and key.fiscal_year == 0:
            info = names.get(key.strategy_id)
            frameworks.append(Framework(
                key.strategy_id, "strategy", amount,
                strategy_code=info.code if info else None, strategy_number=info.number if info else None,
                name_th=info.title_th if info else None, name_en=info.title_en if info else None,
            ))
        elif key.strategy_id:
            years.append(FrameworkYear(key.strategy_id, key.fiscal_year, amount))
    frameworks.sort(key=lambda f: (f.level != "plan", f.strategy_number or 0, f.framework_id))
    years.sort(key=lambda y: (y.framework_id, y.fiscal_year))
    return frameworks, years


def _names(row: Any) -> dict[str, Any] | None:
    """Code and titles of a strategy or project read-model row (a Row or a mapping)."""
    if row is None:
        return None
    found = row._mapping if hasattr(row, "_mapping") else row
    return {"code": found["code"], "title_th": found["title_th"], "title_en": found["title_en"]}


async def handle(query: OpenBudgetQuery, uow: UnitOfWork) -> OpenBudget:
    repos = repositories(uow)
    plan = await repos.plans.plan(query.plan_id)
    if plan is None:
        raise not_found("plan", query.plan_id)
    audience = audience_of(query.viewer)
    strategy_rows = await repos.plans.strategies_of(query.plan_id)
    frameworks, framework_years = await _frameworks(uow, query.plan_id, strategy_rows)
    sql = OpenBudgetRepository(uow.session)
    rounds = [
        Round(r["round_id"], r["fiscal_year"], r["title"], r["status"], bool(r["published"]), r["ceiling"],
              r["approved_total"], r["closed_at"])
        for r in await sql.rounds(query.plan_id)
        if round_visible(audience, r["status"], r["published"])
    ]
    # The public reads the money of published rounds' fiscal years only; oversight every year.
    years = None if audience is Audience.OVERSIGHT else {r.fiscal_year for r in rounds}
    rows = await sql.project_appropriations(query.plan_id, years)
    round_of_year = {r.fiscal_year: r.round_id for r in rounds}
    decisions = await sql.decisions(round_of_year.values())
    projects = await NameRepository(uow.session).projects({row["project_id"] for row in rows})
    stages = stages_for(audience)
    lines = [
        BudgetLine(
            fiscal_year=row["fiscal_year"], strategy_id=row["strategy_id"], project_id=row["project_id"],
            expense_category=row["expense_category"], agency=row["agency"],
            amounts={s: Decimal(row[s]) for s in stages},
            decision=decisions.get((round_of_year.get(row["fiscal_year"], ""), row["project_id"])),
            strategy=_names(strategy_rows.get(row["strategy_id"])), project=_names(projects.get(row["project_id"])),
        )
        for row in rows
    ]
    # The reconciliation report's verdict (plan = strategies, each strategy = its fiscal years), not a second rule.
    balanced = (await reconciliation.report(repos, query.plan_id))["balanced"]
    return OpenBudget(
        plan_id=query.plan_id, plan_code=plan["plan_code"], start_fy=plan["start_fy"], end_fy=plan["end_fy"],
        audience=audience, balanced=balanced, frameworks=frameworks, framework_years=framework_years,
        rounds=rounds, lines=lines,
    )
