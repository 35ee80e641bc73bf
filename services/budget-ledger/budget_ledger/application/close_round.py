"""The secretariat closes an approved round, and may publish its results to everyone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from budget_ledger.application.etags import round_etag
from budget_ledger.application.repositories import repositories
from budget_ledger.domain.screening import RoundStatus
from budget_ledger.events.types import ROUND_CLOSED
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import conflict
from dgplan_shared.web.etags import require_if_match


@dataclass(frozen=True)
class CloseRound:
    round_id: str
    closed_by: str
    publish_results: bool = True
    if_match: str | None = None  # optional here: a close without it closes whatever the round holds


async def handle(command: CloseRound, uow: UnitOfWork) -> Any:
    repos = repositories(uow)
    round_row = await repos.screening.round(command.round_id, lock=True)
    if command.if_match is not None:
        require_if_match(command.if_match, round_etag(round_row), "round")
    if round_row["status"] != RoundStatus.APPROVED.value:
        raise conflict("round-not-approved", f"The round is {round_row['status']}; only an approved round closes.")
    await repos.screening.change_round(
        command.round_id, status=RoundStatus.CLOSED.value, closed_at=utcnow(), published=command.publish_results
    )
    await uow.publish(
        ROUND_CLOSED,
        command.round_id,
        {
            "round_id": command.round_id,
            "plan_id": round_row["plan_id"],
            "fiscal_year": round_row["fiscal_year"],
            "published": command.publish_results,
            "closed_by": command.closed_by,
        },
    )
    return await repos.screening.round(command.round_id)
