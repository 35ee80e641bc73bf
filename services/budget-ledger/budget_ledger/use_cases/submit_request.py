"""A lead agency submits a budget request for one of its registered projects in an open round."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import select

from budget_ledger.db.tables import screening_requests
from budget_ledger.domain.money import money_str
from budget_ledger.domain.screening import RoundStatus
from budget_ledger.events.types import REQUEST_SUBMITTED
from budget_ledger.ledger.posting import AppropriationKey, Posting, post
from budget_ledger.screening import tallies
from budget_ledger.screening.repository import add_history, amounts_to_json, load_request, load_round, request_json
from budget_ledger.text import nfc
from budget_ledger.use_cases.project_snapshot import get_project
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_contracts.identity import Principal, forbidden
from dgplan_shared.problems import ProblemError, conflict, invalid


@dataclass(frozen=True)
class SubmitRequest:
    round_id: str
    project_id: str
    amounts: dict[str, Decimal]
    justification: str
    priority: int | None = None
    multi_year: bool = False
    alignment: dict[str, Any] = field(default_factory=dict)


async def submit_request(uow: UnitOfWork, command: SubmitRequest, principal: Principal) -> dict[str, Any]:
    session = uow.session
    round_row = await load_round(session, command.round_id)
    if round_row["status"] != RoundStatus.OPEN.value:
        raise conflict("round-not-open", f"The round is {round_row['status']}; it no longer takes requests.")
    if utcnow() > round_row["submission_deadline"]:
        raise conflict("submission-deadline-passed", "The round's submission deadline has passed.")
    project = await get_project(session, command.project_id)
    if project is None:
        raise invalid("project_id", "the registry has not announced this project", slug="unknown-project")
    if project["plan_id"] != round_row["plan_id"]:
        raise invalid("project_id", "the project belongs to another plan than the round's")
    if not principal.acts_for_agency(project["lead_agency"]):
        raise forbidden("Only the project's lead agency may submit its budget request.")
    fy = round_row["fiscal_year"]
    if project["start_fy"] and project["end_fy"] and not project["start_fy"] <= fy <= project["end_fy"]:
        raise invalid("project_id", f"the project does not run in fiscal year {fy}")
    existing = await session.scalar(
        select(screening_requests.c.request_id).where(
            screening_requests.c.round_id == command.round_id, screening_requests.c.project_id == command.project_id
        )
    )
    if existing:
        raise ProblemError(
            409, "request-exists", "Conflict", "This project already has a request in this round.", request_id=existing
        )
    request_id = str(uuid.uuid4())
    total = sum(command.amounts.values(), Decimal("0.00"))
    await session.execute(
        screening_requests.insert().values(
            request_id=request_id,
            round_id=command.round_id,
            project_id=command.project_id,
            plan_id=project["plan_id"],
            strategy_id=project["strategy_id"],
            agency=project["lead_agency"],
            fiscal_year=fy,
            requested_total=total,
            recommended_total=Decimal(0),
            approved_total=Decimal(0),
            decision=None,
            priority=command.priority,
            multi_year=command.multi_year,
            justification=nfc(command.justification),
            alignment=orjson.dumps(command.alignment).decode() if command.alignment else None,
            amounts=amounts_to_json(command.amounts),
            version=1,
            submitted_by=principal.subject,
            submitted_at=utcnow(),
        )
    )
    await post(
        session,
        [
            Posting(
                AppropriationKey(project["plan_id"], project["strategy_id"], command.project_id, fy, category),
                "requested",
                amount,
                agency=project["lead_agency"],
                round_id=command.round_id,
                request_id=request_id,
            )
            for category, amount in sorted(command.amounts.items())
        ],
        principal.subject,
    )
    await tallies.add(session, tallies.Bucket(command.round_id, project["strategy_id"], project["lead_agency"], None), 1, total)
    await add_history(session, request_id, "submitted", principal.subject, amount=total, reason=nfc(command.justification))
    await uow.publish(
        REQUEST_SUBMITTED,
        command.round_id,
        {
            "round_id": command.round_id,
            "request_id": request_id,
            "project_id": command.project_id,
            "plan_id": project["plan_id"],
            "strategy_id": project["strategy_id"],
            "agency": project["lead_agency"],
            "fiscal_year": fy,
            "amount": money_str(total),
            "amounts": {k: money_str(v) for k, v in sorted(command.amounts.items())},
        },
    )
    return request_json(await load_request(session, request_id))
