"""Direct postings through the API: allocations (secretariat), commitments and disbursements
(the project's lead agency). A batch is atomic: every entry or none."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.db.tables import projects
from budget_ledger.domain.money import money_str
from budget_ledger.domain.stages import InvariantViolation
from budget_ledger.events.payloads import publish_stage_events
from budget_ledger.ledger.posting import AppropriationKey, Posting, post
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.identity import SECRETARIAT, SERVICE, Principal, forbidden
from dgplan_shared.problems import ProblemError, invalid


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
) -> list[dict[str, Any]]:
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
    try:
        entries = await post(session, postings, principal.subject)
    except InvariantViolation as v:
        key = getattr(v, "key", None)
        raise ProblemError(
            422,
            v.slug,
            "Request is not valid",
            f"{v.message} by {money_str(v.shortfall)} baht",
            appropriation=key.as_dict() if key else None,
            errors=[{"field": "amount", "message": v.message}],
        ) from None
    await publish_stage_events(uow, entries)
    return [e.to_json() for e in entries]
