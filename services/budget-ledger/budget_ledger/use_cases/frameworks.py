"""Budget frameworks: the plan's total and each strategy's, optionally split by fiscal year.

Frameworks are ledger entries of stage ``framework``. Applying a structure posts only the
difference from what the ledger holds, so a re-published structure with the same figures posts
nothing, and changed figures post one adjusting entry per changed level.

Policy (DESIGN §2 "strategies add up to the plan"): the import API refuses figures that do not
add up (422 ``framework-unbalanced``), since a person can fix them. The registry's
``plan.structure-published`` is the plan of record and cannot be refused by a consumer, so it is
recorded as published and the imbalance is reported: ``budget.framework-reconciled`` with
``balanced: false`` and the reconciliation report showing where the figures differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.db.tables import appropriations, plans, strategies
from budget_ledger.domain.money import money_str
from budget_ledger.events.types import FRAMEWORK_RECONCILED
from budget_ledger.ledger.posting import AppropriationKey, Posting, post
from budget_ledger.text import nfc
from budget_ledger.use_cases.reconciliation import reconcile
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.problems import ProblemError


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


async def _upsert_plan(session: AsyncSession, f: PlanFramework) -> None:
    values = {
        "plan_code": f.plan_code,
        "version_id": f.version_id,
        "start_fy": f.start_fy,
        "end_fy": f.end_fy,
        "updated_at": utcnow(),
    }
    if await session.scalar(select(plans.c.plan_id).where(plans.c.plan_id == f.plan_id)):
        values = {k: v for k, v in values.items() if v is not None}
        await session.execute(update(plans).where(plans.c.plan_id == f.plan_id).values(**values))
    else:
        await session.execute(plans.insert().values(plan_id=f.plan_id, **values))
    for s in f.strategies:
        row = {
            "plan_id": f.plan_id,
            "code": s.code,
            "number": s.number,
            "title_th": nfc(s.title.get("th")),
            "title_en": nfc(s.title.get("en")),
        }
        if await session.scalar(select(strategies.c.strategy_id).where(strategies.c.strategy_id == s.strategy_id)):
            await session.execute(update(strategies).where(strategies.c.strategy_id == s.strategy_id).values(**row))
        else:
            await session.execute(strategies.insert().values(strategy_id=s.strategy_id, **row))


async def _current_frameworks(session: AsyncSession, plan_id: str) -> dict[AppropriationKey, Decimal]:
    c = appropriations.c
    rows = await session.execute(
        select(c.plan_id, c.strategy_id, c.project_id, c.fiscal_year, c.expense_category, c.framework).where(
            c.plan_id == plan_id, c.project_id == "", c.expense_category == ""
        )
    )
    return {AppropriationKey(r[0], r[1], r[2], r[3], r[4]): r[5] for r in rows}


async def apply_frameworks(uow: UnitOfWork, f: PlanFramework, posted_by: str, reference: str | None) -> dict[str, Any]:
    """Post the adjustments that bring the ledger to these figures; publish the reconciliation."""
    session = uow.session
    await _upsert_plan(session, f)
    wanted: dict[AppropriationKey, Decimal] = {AppropriationKey(f.plan_id): f.total}
    for s in f.strategies:
        wanted[AppropriationKey(f.plan_id, s.strategy_id)] = s.amount
        for fy, amount in s.by_fiscal_year.items():
            wanted[AppropriationKey(f.plan_id, s.strategy_id, "", fy)] = amount
    current = await _current_frameworks(session, f.plan_id)
    postings = [
        Posting(key, "framework", amount - current.get(key, Decimal(0)), reference=reference, note="framework")
        for key, amount in sorted(wanted.items())
        if amount != current.get(key, Decimal(0))
    ]
    await post(session, postings, posted_by)
    report = await reconcile(session, f.plan_id)
    await uow.publish(
        FRAMEWORK_RECONCILED,
        f.plan_id,
        {
            "plan_id": f.plan_id,
            "plan_code": report["plan_code"],
            "plan_total": report["plan_total"],
            "strategies_total": report["strategies_total"],
            "difference": report["difference"],
            "balanced": report["balanced"],
            "adjustments": len(postings),
        },
    )
    return report


def plan_framework_from_structure(data: dict[str, Any]) -> PlanFramework:
    """Read the figures from a ``plan.structure-published`` payload (tolerant of extra fields)."""
    from budget_ledger.domain.money import parse_money

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


def money_or_none(value: Decimal | None) -> str | None:
    return None if value is None else money_str(value)


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


async def import_frameworks(uow: UnitOfWork, f: PlanFramework, posted_by: str) -> dict[str, Any]:
    require_balanced(f)
    return await apply_frameworks(uow, f, posted_by, reference="import")
