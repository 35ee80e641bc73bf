"""The secretariat opens a screening round for a fiscal year: ceiling and two deadlines."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from budget_ledger.application.repositories import repositories
from budget_ledger.adapters.screening_repository import RoundExists
from budget_ledger.domain.rounds import check_round_opening, round_exists
from budget_ledger.domain.screening import RoundStatus
from budget_ledger.events.types import ROUND_OPENED
from dgplan_contracts.money import money_str
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid
from dgplan_shared.text import normalize_text


@dataclass(frozen=True)
class OpenRound:
    plan_id: str
    fiscal_year: int
    ceiling: Decimal
    submission_deadline: datetime
    decision_deadline: datetime
    title: str | None = None
    opened_by: str = ""


async def handle(command: OpenRound, uow: UnitOfWork) -> Any:
    repos = repositories(uow)
    plan = await repos.plans.plan(command.plan_id)
    if plan is None:
        raise invalid("plan_id", "the registry has not published this plan")
    check_round_opening(
        command.fiscal_year, (plan["start_fy"], plan["end_fy"]), command.submission_deadline, command.decision_deadline,
        utcnow(),
    )
    existing = await repos.screening.round_of(command.plan_id, command.fiscal_year)
    if existing is not None:
        raise round_exists(command.plan_id, command.fiscal_year, existing["round_id"])
    round_id = str(uuid.uuid4())
    try:
        await repos.screening.add_round(
            {
                "round_id": round_id,
                "plan_id": command.plan_id,
                "fiscal_year": command.fiscal_year,
                "ceiling": command.ceiling,
                "submission_deadline": command.submission_deadline,
                "decision_deadline": command.decision_deadline,
                "status": RoundStatus.OPEN.value,
                "title": None if command.title is None else normalize_text(command.title),
                "approved_total": Decimal(0),
                "version": 1,
                "opened_by": command.opened_by,
                "opened_at": utcnow(),
                "published": False,
            }
        )
    except RoundExists:  # opened concurrently, after the check above
        raise round_exists(command.plan_id, command.fiscal_year, None) from None
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
    return await repos.screening.round(round_id)
