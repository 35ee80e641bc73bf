"""Budget execution rate (disbursed / allocated) by strategy, agency or fiscal year, from the
ledger's postings as monitoring received them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_contracts.storage import Satang

from dgplan_shared.problems import invalid
from monitoring.db.tables import rm_budget_entries, rm_strategies
from monitoring.usecases.scorecard import budget_block

GROUPINGS = ("strategy", "agency", "fiscal_year")


async def budget_execution(
    session: AsyncSession, group_by: str, plan_id: str | None = None, fiscal_year: int | None = None
) -> dict[str, Any]:
    if group_by not in GROUPINGS:
        raise invalid("group_by", f"one of {', '.join(GROUPINGS)}")
    column = {
        "strategy": rm_budget_entries.c.strategy_id,
        "agency": rm_budget_entries.c.agency,
        "fiscal_year": rm_budget_entries.c.fiscal_year,
    }[group_by]
    total_amount = func.sum(rm_budget_entries.c.amount, type_=Satang())
    query = select(column, rm_budget_entries.c.kind, total_amount).group_by(column, rm_budget_entries.c.kind)
    if plan_id is not None:
        query = query.where(rm_budget_entries.c.plan_id == plan_id)
    if fiscal_year is not None:
        query = query.where(rm_budget_entries.c.fiscal_year == fiscal_year)
    groups: dict[Any, dict[str, Decimal]] = {}
    for key, kind, total in (await session.execute(query)).all():
        groups.setdefault(key, {})[kind] = total  # baht, through Satang

    labels: dict[str, dict[str, Any]] = {}
    if group_by == "strategy":
        strategy_query = select(rm_strategies)
        if plan_id is not None:
            strategy_query = strategy_query.where(rm_strategies.c.plan_id == plan_id)
        for s in (await session.execute(strategy_query)).mappings():
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
