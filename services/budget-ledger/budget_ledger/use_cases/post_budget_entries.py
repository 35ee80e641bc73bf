"""Direct postings through the API: allocations (secretariat), commitments and disbursements
(the project's lead agency). A batch is atomic: every entry or none."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.db.tables import projects
from budget_ledger.domain.stages import InvariantViolation
from budget_ledger.events.payloads import publish_stage_events
from budget_ledger.ledger.problems import violation_problem
from budget_ledger.ledger.posting import AppropriationKey, Posting, post
from dgplan_shared.db.uow import UnitOfWork
from dgplan_contracts.identity import SECRETARIAT, SERVICE, Principal, forbidden
from dgplan_shared.problems import invalid


@dataclass(frozen=True)
class Posted:
    """The entries written, and ``finish``: moving the balances, which the caller awaits as the
    last step before commit so a hot appropriation's row lock is held as briefly as possible."""

    entries: list[dict[str, Any]]
    finish: Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class EntryCommand:
    project_id: str
    fiscal_year: int
    expense_category: str
    stage: str
    amount: Decimal
    reference: str | None = None
    note: str | None = None


async def _projects(session: AsyncSession, ids: set[str]) -> dict[str, Any]:
    rows = (await session.execute(select(projects).where(projects.c.project_id.in_(sorted(ids))))).mappings()
    return {r["project_id"]: r for r in rows}


def _authorize(principal: Principal, stage: str, lead_agency: str | None, field: str) -> None:
    if stage == "allocated":
        if not principal.has(SECRETARIAT, SERVICE):
            raise forbidden("Allocations are posted by the secretariat.")
    elif not principal.acts_for_agency(lead_agency):
        raise forbidden(f"{field}: only the project's lead agency posts its commitments and disbursements.")


async def post_budget_entries(
    uow: UnitOfWork, commands: list[EntryCommand], principal: Principal, *, field_prefix: str = ""
) -> Posted:
    session = uow.session
    known = await _projects(session, {c.project_id for c in commands})
    postings = []
    for index, c in enumerate(commands):
        where = f"{field_prefix}{index}." if field_prefix else ""
        project = known.get(c.project_id)
        if project is None:
            raise invalid(f"{where}project_id", "the registry has not announced this project", slug="unknown-project")
        _authorize(principal, c.stage, project["lead_agency"], f"{where}project_id")
        postings.append(
            Posting(
                AppropriationKey(project["plan_id"], project["strategy_id"], c.project_id, c.fiscal_year, c.expense_category),
                c.stage,
                c.amount,
                agency=project["lead_agency"],
                reference=c.reference,
                note=c.note,
            )
        )
    entries, moves = await post(session, postings, principal.subject, defer_balances=True)
    await publish_stage_events(uow, entries)

    async def finish() -> None:
        try:
            await moves.apply(session)
        except InvariantViolation as v:
            raise violation_problem(v) from None

    return Posted([e.to_json() for e in entries], finish)
