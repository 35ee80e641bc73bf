"""Budget execution rate (disbursed / allocated) by strategy, agency or fiscal year, from the
ledger's postings as monitoring received them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dgplan_contracts.identity import AGENCY, OVERSIGHT_ROLES, Principal, require_role
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid
from monitoring.adapters.repositories import Repositories, repositories
from monitoring.application.scorecard import plan_row
from monitoring.domain.access import require_plan_reader
from monitoring.domain.budget import budget_block

GROUPINGS = ("strategy", "agency", "fiscal_year")


@dataclass(frozen=True)
class GetBudgetExecution:
    principal: Principal | None
    group_by: str = "strategy"
    plan_id: str | None = None
    fiscal_year: int | None = None


async def handle(query: GetBudgetExecution, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    if query.plan_id is not None:
        require_plan_reader(query.principal, await plan_row(repos, query.plan_id))
    else:
        require_role(query.principal or Principal("anonymous"), AGENCY, *OVERSIGHT_ROLES)
    return await budget_execution(repos, query.group_by, query.plan_id, query.fiscal_year)


async def budget_execution(
    repos: Repositories, group_by: str, plan_id: str | None = None, fiscal_year: int | None = None
) -> dict[str, Any]:
    if group_by not in GROUPINGS:
        raise invalid("group_by", f"one of {', '.join(GROUPINGS)}")
    groups = await repos.read_models.budget_by(group_by, plan_id, fiscal_year)  # baht, through Satang

    labels: dict[str, dict[str, Any]] = {}
    if group_by == "strategy":
        for s in await repos.read_models.strategies(plan_id):
            labels[s["strategy_id"]] = {
                "code": s["code"], "number": s["number"], "title": {"th": s["title_th"], "en": s["title_en"]},
                "framework": s["budget_framework"],
            }
            groups.setdefault(s["strategy_id"], {})  # a strategy with no postings yet still shows

    def sort_key(key: Any) -> tuple:
        if group_by == "strategy":
            label = labels.get(key, {})
            return (label.get("number") is None, label.get("number") or 0, str(key))
        return (key is None, str(key))

    rows = []
    for key in sorted(groups, key=sort_key):
        row: dict[str, Any] = {group_by: key}
        if group_by == "strategy":
            label = labels.get(key, {})
            row.update(code=label.get("code"), title=label.get("title"))
            row.update(budget_block(groups[key], framework=label.get("framework"), show_framework=bool(label)))
        else:
            row.update(budget_block(groups[key]))
        rows.append(row)
    total: dict[str, Decimal] = {}
    for values in groups.values():
        for kind, amount in values.items():
            total[kind] = total.get(kind, Decimal("0.00")) + amount
    return {
        "group_by": group_by,
        "plan_id": plan_id,
        "fiscal_year": fiscal_year,
        "rows": rows,
        "total": budget_block(total),
    }
