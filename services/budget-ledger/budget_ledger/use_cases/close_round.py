"""The secretariat closes an approved round, and may publish its results to everyone."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from budget_ledger.db.tables import screening_rounds
from budget_ledger.domain.screening import RoundStatus
from budget_ledger.events.types import ROUND_CLOSED
from budget_ledger.screening.repository import load_round, round_json
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.problems import conflict


async def close_round(uow: UnitOfWork, round_id: str, actor: str, publish_results: bool) -> dict[str, Any]:
    session = uow.session
    round_row = await load_round(session, round_id, lock=True)
    if round_row["status"] != RoundStatus.APPROVED.value:
        raise conflict("round-not-approved", f"The round is {round_row['status']}; only an approved round closes.")
    await session.execute(
        update(screening_rounds)
        .where(screening_rounds.c.round_id == round_id)
        .values(
            status=RoundStatus.CLOSED.value,
            closed_at=utcnow(),
            published=publish_results,
            version=screening_rounds.c.version + 1,
        )
    )
    await uow.publish(
        ROUND_CLOSED,
        round_id,
        {
            "round_id": round_id,
            "plan_id": round_row["plan_id"],
            "fiscal_year": round_row["fiscal_year"],
            "published": publish_results,
            "closed_by": actor,
        },
    )
    return round_json(await load_round(session, round_id))
