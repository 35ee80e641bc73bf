"""A lead agency submits a budget request for one of its registered projects in an open round."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from budget_ledger.application.repositories import repositories
from budget_ledger.domain.postings import AppropriationKey, Posting
from budget_ledger.domain.screening import Bucket, RoundStatus
from budget_ledger.events.types import REQUEST_SUBMITTED
from dgplan_contracts.identity import Principal, forbidden
from dgplan_contracts.money import money_str
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError, conflict, invalid
from dgplan_shared.text import normalize_text


@dataclass(frozen=True)
class SubmitRequest:
    round_id: str
    project_id: str
    amounts: dict[str, Decimal]
    justification: str
    priority: int | None = None
    multi_year: bool = False
    alignment: dict[str, Any] = field(default_factory=dict)
    principal: Principal | None = None


async def handle(command: SubmitRequest, uow: UnitOfWork) -> dict[str, Any]:
    principal = command.principal
    assert principal is not None
    repos = repositories(uow)
    round_row = await repos.screening.round(command.round_id)
    if round_row["status"] != RoundStatus.OPEN.value:
        raise conflict("round-not-open", f"The round is {round_row['status']}; it no longer takes requests.")
    if utcnow() > round_row["submission_deadline"]:
        raise conflict("submission-deadline-passed", "The round's submission deadline has passed.")
    project = await repos.plans.project(command.project_id)
    if project is None:
        raise invalid("project_id", "the registry has not announced this project", slug="unknown-project")
    if project["plan_id"] != round_row["plan_id"]:
        raise invalid("project_id", "the project belongs to another plan than the round's")
    if not principal.acts_for_agency(project["lead_agency"]):
        raise forbidden("Only the project's lead agency may submit its budget request.")
    fy = round_row["fiscal_year"]
    if project["start_fy"] and project["end_fy"] and not project["start_fy"] <= fy <= project["end_fy"]:
        raise invalid("project_id", f"the project does not run in fiscal year {fy}")
    existing = await repos.screening.request_id_of(command.round_id, command.project_id)
    if existing:
        raise ProblemError(
            409, "request-exists", "Conflict", "This project already has a request in this round.", request_id=existing
        )
    request_id = str(uuid.uuid4())
    total = sum(command.amounts.values(), Decimal("0.00"))
    justification = normalize_text(command.justification)
    await repos.screening.add_request(
        {
            "request_id": request_id,
            "round_id": command.round_id,
            "project_id": command.project_id,
            "plan_id": project["plan_id"],
            "strategy_id": project["strategy_id"],
            "agency": project["lead_agency"],
            "fiscal_year": fy,
            "requested_total": total,
            "recommended_total": Decimal(0),
            "approved_total": Decimal(0),
            "decision": None,
            "priority": command.priority,
            "multi_year": command.multi_year,
            "justification": justification,
            "alignment": command.alignment or None,
            "amounts": command.amounts,
            "version": 1,
            "submitted_by": principal.subject,
            "submitted_at": utcnow(),
        }
    )
    await repos.ledger.post(
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
    await repos.screening.tally(Bucket(command.round_id, project["strategy_id"], project["lead_agency"], None), 1, total)
    await repos.screening.add_history(request_id, "submitted", principal.subject, amount=total, reason=justification)
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
    return await repos.screening.request(request_id)
