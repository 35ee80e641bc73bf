"""A plan's budget framework: the plan's total and each strategy's, optionally split by fiscal year,
and the rule that figures a person imports must add up (DESIGN §2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dgplan_contracts.money import money_str, parse_money
from dgplan_shared.errors import ProblemError


@dataclass
class StrategyFramework:
    strategy_id: str
    amount: Decimal
    code: str | None = None
    number: int | None = None
    title: dict[str, str] = field(default_factory=dict)
    by_fiscal_year: dict[int, Decimal] = field(default_factory=dict)


@dataclass
class PlanFramework:
    plan_id: str
    total: Decimal
    strategies: list[StrategyFramework]
    plan_code: str | None = None
    version_id: str | None = None
    start_fy: int | None = None
    end_fy: int | None = None


def plan_framework_from_structure(data: dict[str, Any]) -> PlanFramework:
    """Read the figures from a ``plan.structure-published`` payload (tolerant of extra fields)."""
    return PlanFramework(
        plan_id=str(data["plan_id"]),
        plan_code=data.get("plan_code"),
        version_id=data.get("version_id"),
        start_fy=data.get("start_fy"),
        end_fy=data.get("end_fy"),
        total=parse_money(data.get("budget_framework") or "0", allow_zero=True),
        strategies=[
            StrategyFramework(
                strategy_id=str(s["strategy_id"]),
                code=s.get("code"),
                number=s.get("number"),
                title=s.get("title") or {},
                amount=parse_money(s.get("budget_framework") or "0", allow_zero=True),
            )
            for s in data.get("strategies") or []
        ],
    )



def require_balanced(f: PlanFramework) -> None:
    """The import path's rule: figures that do not add up are refused with every difference named."""
    strategies_total = sum((s.amount for s in f.strategies), start=f.total * 0)
    errors = []
    if strategies_total != f.total:
        errors.append(
            {
                "field": "strategies",
                "message": f"strategies add up to {money_str(strategies_total)}, the plan total is {money_str(f.total)} "
                f"(difference {money_str(f.total - strategies_total)})",
            }
        )
    if f.start_fy and f.end_fy and f.start_fy > f.end_fy:
        errors.append({"field": "end_fy", "message": "before start_fy"})
    for i, s in enumerate(f.strategies):
        if s.by_fiscal_year:
            split = sum(s.by_fiscal_year.values(), start=s.amount * 0)
            if split != s.amount:
                errors.append(
                    {
                        "field": f"strategies.{i}.fiscal_years",
                        "message": f"years add up to {money_str(split)}, the strategy is {money_str(s.amount)}",
                    }
                )
            outside = [fy for fy in s.by_fiscal_year if f.start_fy and f.end_fy and not f.start_fy <= fy <= f.end_fy]
            if outside:
                errors.append({"field": f"strategies.{i}.fiscal_years", "message": f"outside the plan: {outside}"})
    ids = [s.strategy_id for s in f.strategies]
    if len(set(ids)) != len(ids):
        errors.append({"field": "strategies", "message": "a strategy appears twice"})
    if errors:
        raise ProblemError(
            422,
            "framework-unbalanced",
            "Request is not valid",
            "; ".join(f"{e['field']}: {e['message']}" for e in errors),
            errors=errors,
        )
