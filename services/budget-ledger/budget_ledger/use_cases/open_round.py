"""The secretariat opens a screening round for a fiscal year: ceiling and two deadlines."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from budget_ledger.db.tables import plans, screening_rounds
from budget_ledger.domain.money import money_str
from budget_ledger.domain.screening import RoundStatus
from budget_ledger.events.types import ROUND_OPENED
from budget_ledger.screening.repository import load_round, round_json
from budget_ledger.text import nfc
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.problems import invalid


@dataclass(frozen=True)
class OpenRound:
    plan_id: str
    fiscal_year: int
    ceiling: Decimal
    submission_deadline: datetime
    decision_deadline: datetime
    title: str | None = None


async def open_round(uow: UnitOfWork, command: OpenRound, actor: str) -> dict[str, Any]:
    session = uow.session
    plan = (await session.execute(select(plans).where(plans.c.plan_id == command.plan_id))).mappings().first()
    if plan is None:
        raise invalid("plan_id", "the registry has not published this plan")
    if plan["start_fy"] and plan["end_fy"] and not plan["start_fy"] <= command.fiscal_year <= plan["end_fy"]:
        raise invalid("fiscal_year", f"outside the plan's fiscal years {plan['start_fy']}–{plan['end_fy']}")
    if command.decision_deadline <= command.submission_deadline:
        raise invalid("decision_deadline", "must be after the submission deadline")
    round_id = str(uuid.uuid4())
    await session.execute(
        screening_rounds.insert().values(
            round_id=round_id,
            plan_id=command.plan_id,
            fiscal_year=command.fiscal_year,
            ceiling=command.ceiling,
            submission_deadline=command.submission_deadline,
            decision_deadline=command.decision_deadline,
            status=RoundStatus.OPEN.value,
            title=nfc(command.title),
            approved_total=Decimal(0),
            version=1,
            opened_by=actor,
            opened_at=utcnow(),
            published=False,
        )
    )
    await uow.publish(
        ROUND_OPENED,
        round_id,
        {
            "round_id": round_id,
            "plan_id": command.plan_id,
            "fiscal_year": command.fiscal_year,
            "ceiling": money_str(command.ceiling),
            "submission_deadline": command.submission_deadline.isoformat(),
            "decision_deadline": command.decision_deadline.isoformat(),
        },
    )
    return round_json(await load_round(session, round_id))
