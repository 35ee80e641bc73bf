"""Budget frameworks are ledger entries of stage ``framework``. Applying a structure posts only
the difference from what the ledger holds, so a re-published structure with the same figures
posts nothing, and changed figures post one adjusting entry per changed level.

Policy (DESIGN §2 "strategies add up to the plan"): the import API refuses figures that do not
add up (422 ``framework-unbalanced``), since a person can fix them. The registry's
``plan.structure-published`` is the plan of record and cannot be refused by a consumer, so it is
recorded as published and the imbalance is reported: ``budget.framework-reconciled`` with
``balanced: false`` and the reconciliation report showing where the figures differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from budget_ledger.application import reconciliation
from budget_ledger.application.repositories import repositories
from budget_ledger.domain.frameworks import PlanFramework, require_balanced
from budget_ledger.domain.postings import AppropriationKey, Posting
from budget_ledger.events.types import FRAMEWORK_RECONCILED
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.text import normalize_text


@dataclass(frozen=True)
class ImportFrameworks:
    """A person imports the figures (refused unless they add up)."""

    framework: PlanFramework
    posted_by: str


@dataclass(frozen=True)
class ApplyStructure:
    """The registry published the plan's structure (recorded as published, flagged if unbalanced)."""

    framework: PlanFramework
    posted_by: str
    reference: str | None


def _text(value: str | None) -> str | None:
    return None if value is None else normalize_text(value)


async def apply_frameworks(uow: UnitOfWork, f: PlanFramework, posted_by: str, reference: str | None) -> dict[str, Any]:
    """Post the adjustments that bring the ledger to these figures; publish the reconciliation."""
    repos = repositories(uow)
    await repos.plans.save_plan(
        f.plan_id,
        {"plan_code": f.plan_code, "version_id": f.version_id, "start_fy": f.start_fy, "end_fy": f.end_fy,
         "updated_at": utcnow()},
        keep_unknown=True,
    )
    for s in f.strategies:
        await repos.plans.save_strategy(
            s.strategy_id,
            {"plan_id": f.plan_id, "code": s.code, "number": s.number, "title_th": _text(s.title.get("th")),
             "title_en": _text(s.title.get("en"))},
        )
    wanted: dict[AppropriationKey, Decimal] = {AppropriationKey(f.plan_id): f.total}
    for s in f.strategies:
        wanted[AppropriationKey(f.plan_id, s.strategy_id)] = s.amount
        for fy, amount in s.by_fiscal_year.items():
            wanted[AppropriationKey(f.plan_id, s.strategy_id, "", fy)] = amount
    current = await repos.ledger.framework_figures(f.plan_id)
    postings = [
        Posting(key, "framework", amount - current.get(key, Decimal(0)), reference=reference, note="framework")
        for key, amount in sorted(wanted.items())
        if amount != current.get(key, Decimal(0))
    ]
    await repos.ledger.post(postings, posted_by)
    report = await reconciliation.report(repos, f.plan_id)
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


async def import_frameworks(command: ImportFrameworks, uow: UnitOfWork) -> dict[str, Any]:
    require_balanced(command.framework)
    return await apply_frameworks(uow, command.framework, command.posted_by, reference="import")


async def apply_structure(command: ApplyStructure, uow: UnitOfWork) -> dict[str, Any]:
    return await apply_frameworks(uow, command.framework, command.posted_by, command.reference)
