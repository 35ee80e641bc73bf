"""The subcommittee hands the screened package to the committee.

Refused while any request is unscreened, and when the recommended total is above the round's
ceiling (the committee's approval posts exactly the recommended amounts, so that is where an
approval above the ceiling is stopped; the approval re-checks it in its own transaction).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update

from budget_ledger.db.tables import screening_requests, screening_rounds
from budget_ledger.domain.money import money_str
from budget_ledger.domain.screening import RoundStatus
from budget_ledger.events.types import PACKAGE_SUBMITTED
from budget_ledger.screening.repository import load_round, round_json
from dgplan_shared.db.types import utcnow
from dgplan_contracts.storage import Satang
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.problems import ProblemError, conflict


async def submit_package(uow: UnitOfWork, round_id: str, actor: str, note: str | None = None) -> dict[str, Any]:
    session = uow.session
    round_row = await load_round(session, round_id, lock=True)
    if round_row["status"] != RoundStatus.OPEN.value:
        raise conflict("round-not-open", f"The round is {round_row['status']}; its package was already submitted.")
    r = screening_requests.c
    unscreened, count, recommended = (
        await session.execute(
            select(
                func.count().filter(r.decision.is_(None)),
                func.count(),
                func.coalesce(func.sum(r.recommended_total), 0).cast(Satang()),
            ).where(r.round_id == round_id)
        )
    ).one()
    if count == 0:
        raise conflict("round-empty", "The round has no requests to put in a package.")
    if unscreened:
        raise ProblemError(
            409,
            "requests-unscreened",
            "Conflict",
            f"{unscreened} request(s) still have no decision.",
            unscreened=unscreened,
        )
    recommended = Decimal(recommended or 0)
    if recommended > round_row["ceiling"]:
        raise ProblemError(
            422,
            "approvals-above-ceiling",
            "Request is not valid",
            f"The recommended total {money_str(recommended)} is above the round's ceiling "
            f"{money_str(round_row['ceiling'])}; reduce or defer requests first.",
            recommended_total=money_str(recommended),
            ceiling=money_str(round_row["ceiling"]),
        )
    await session.execute(
        update(screening_rounds)
        .where(screening_rounds.c.round_id == round_id)
        .values(
            status=RoundStatus.PACKAGE_SUBMITTED.value,
            package_submitted_at=utcnow(),
            version=screening_rounds.c.version + 1,
        )
    )
    await uow.publish(
        PACKAGE_SUBMITTED,
        round_id,
        {
            "round_id": round_id,
            "plan_id": round_row["plan_id"],
            "fiscal_year": round_row["fiscal_year"],
            "ceiling": money_str(round_row["ceiling"]),
            "recommended_total": money_str(recommended),
            "request_count": count,
            "submitted_by": actor,
            "note": note,
        },
    )
    return round_json(await load_round(session, round_id))
