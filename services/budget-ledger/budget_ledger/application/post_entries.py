"""Direct postings through the API: allocations (secretariat), commitments and disbursements
(the project's lead agency). A batch is atomic: every entry or none."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budget_ledger.application.repositories import repositories
from budget_ledger.domain.postings import AppropriationKey, PostedEntry, Posting
from budget_ledger.events.payloads import stage_events
from dgplan_contracts.identity import SECRETARIAT, SERVICE, Principal, forbidden
from dgplan_shared.commands import Finishing
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid


@dataclass(frozen=True)
class EntryCommand:
    project_id: str
    fiscal_year: int
    expense_category: str
    stage: str
    amount: Decimal
    reference: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class PostEntries:
    entries: tuple[EntryCommand, ...]
    principal: Principal
    field_prefix: str = ""  # "entries." for a batch, so a refusal names "entries.3.project_id"


def _authorize(principal: Principal, stage: str, lead_agency: str | None, field: str) -> None:
    if stage == "allocated":
        if not principal.has(SECRETARIAT, SERVICE):
            raise forbidden("Allocations are posted by the secretariat.")
    elif not principal.acts_for_agency(lead_agency):
        raise forbidden(f"{field}: only the project's lead agency posts its commitments and disbursements.")


async def handle(command: PostEntries, uow: UnitOfWork) -> Finishing[list[PostedEntry]]:
    """The entries written; the balances move in ``finish``, which the pipeline runs as the last
    statement before commit, so a hot appropriation's row lock is held as briefly as possible."""
    repos = repositories(uow)
    known = await repos.plans.projects({c.project_id for c in command.entries})
    postings = []
    for index, c in enumerate(command.entries):
        where = f"{command.field_prefix}{index}." if command.field_prefix else ""
        project = known.get(c.project_id)
        if project is None:
            raise invalid(f"{where}project_id", "the registry has not announced this project", slug="unknown-project")
        _authorize(command.principal, c.stage, project["lead_agency"], f"{where}project_id")
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
    entries, moves = await repos.ledger.post_balances_last(postings, command.principal.subject)
    await repos.events.publish_many(stage_events(uow.service, entries))
    return Finishing(entries, moves.apply)
