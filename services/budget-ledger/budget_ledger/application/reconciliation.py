"""Do the strategies' frameworks add up to the plan's, to the satang? And each strategy's
fiscal-year split to the strategy? The report says where they do not."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from budget_ledger.application.repositories import Repositories, repositories
from dgplan_contracts.money import million_str, money_str
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found


@dataclass(frozen=True)
class Reconcile:
    plan_id: str


async def handle(query: Reconcile, uow: UnitOfWork) -> dict[str, Any]:
    return await report(repositories(uow), query.plan_id)


async def report(repos: Repositories, plan_id: str) -> dict[str, Any]:
    plan = await repos.plans.plan(plan_id)
    if plan is None:
        raise not_found("plan", plan_id)
    figures = await repos.ledger.framework_figures(plan_id)
    names = await repos.plans.strategies_of(plan_id)
    plan_total = Decimal("0.00")
    by_strategy: dict[str, Decimal] = {}
    splits: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for key, amount in figures.items():
        strategy_id, fiscal_year = key.strategy_id, key.fiscal_year
        if strategy_id == "" and fiscal_year == 0:
            plan_total = amount
        elif strategy_id and fiscal_year == 0:
            by_strategy[strategy_id] = amount
        elif strategy_id:
            splits[strategy_id][fiscal_year] = amount
    strategies_total = sum(by_strategy.values(), Decimal("0.00"))
    difference = plan_total - strategies_total
    items = []
    for strategy_id in sorted(by_strategy, key=lambda s: (names[s].number if s in names and names[s].number else 0, s)):
        amount = by_strategy[strategy_id]
        split = splits.get(strategy_id, {})
        split_total = sum(split.values(), Decimal("0.00"))
        info = names.get(strategy_id)
        items.append(
            {
                "strategy_id": strategy_id,
                "code": info.code if info else None,
                "number": info.number if info else None,
                "title": {"th": info.title_th, "en": info.title_en} if info else None,
                "framework": money_str(amount),
                "framework_million": million_str(amount),
                "fiscal_years": {str(fy): money_str(v) for fy, v in sorted(split.items())},
                "fiscal_years_total": money_str(split_total) if split else None,
                "fiscal_years_difference": money_str(amount - split_total) if split else None,
                "fiscal_years_balanced": (split_total == amount) if split else None,
            }
        )
    return {
        "plan_id": plan_id,
        "plan_code": plan["plan_code"],
        "plan_total": money_str(plan_total),
        "plan_total_million": million_str(plan_total),
        "strategies_total": money_str(strategies_total),
        "strategies_total_million": million_str(strategies_total),
        "difference": money_str(difference),
        "balanced": difference == 0 and all(i["fiscal_years_balanced"] is not False for i in items),
        "strategies": items,
    }
