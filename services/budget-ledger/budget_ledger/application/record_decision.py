"""The screening subcommittee records (or changes) its decision on one request.

The decision is the body's: its chair or secretary records it as the resolution of a named
meeting (the route checks the office, this use case that the meeting has been held). Replacing a
decision keeps the old one, with its meeting, in the request's history.

A changed decision is never an edit of the ledger: the previous decision's entries are reversed
by new negative entries and the new decision's entries posted, and both stay in the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from budget_ledger.application.repositories import repositories
from budget_ledger.domain.postings import AppropriationKey, Posting
from budget_ledger.domain.screening import (
    DECISION_STAGE,
    Bucket,
    Decision,
    Meeting,
    RoundStatus,
    decision_amounts,
    meeting_problem,
)
from budget_ledger.events.types import DECISION_RECORDED
from dgplan_contracts.money import money_str
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import conflict, invalid

# Minutes are dated in Thailand: "today" for a meeting's date is Bangkok's.
_THAILAND = ZoneInfo("Asia/Bangkok")


@dataclass(frozen=True)
class RecordDecision:
    request_id: str
    decision: Decision
    reason: str
    meeting: Meeting
    rank: int | None = None
    recommended_amounts: dict[str, Decimal] | None = None
    decided_by: str = ""


def _check_amounts(command: RecordDecision, requested: dict[str, Decimal]) -> None:
    if command.decision is not Decision.RECOMMEND_REDUCED:
        if command.recommended_amounts:
            raise invalid("recommended_amounts", f"only for {Decision.RECOMMEND_REDUCED.value}")
        return
    if not command.recommended_amounts:
        raise invalid("recommended_amounts", "required when recommending a reduced amount")
    for category, amount in command.recommended_amounts.items():
        if category not in requested:
            raise invalid(f"recommended_amounts.{category}", "the request has no amount in this category")
        if amount > requested[category]:
            raise invalid(
                f"recommended_amounts.{category}",
                f"{money_str(amount)} is above the {money_str(requested[category])} requested",
                slug="recommendation-above-request",
            )
    if sum(command.recommended_amounts.values()) >= sum(requested.values()):
        raise invalid("recommended_amounts", "not a reduction; use recommend-full")


async def handle(command: RecordDecision, uow: UnitOfWork) -> dict[str, Any]:
    actor = command.decided_by
    problem = meeting_problem(command.meeting, datetime.now(_THAILAND).date())
    if problem:
        raise invalid("meeting.held_on", problem, slug="meeting-not-held")
    # The texts arrive normalized: the request body's Strict model is the one place that does it.
    meeting = command.meeting.as_dict()
    repos = repositories(uow)
    request = await repos.screening.request(command.request_id, lock=True)
    round_row = await repos.screening.round(request["round_id"])
    if round_row["status"] != RoundStatus.OPEN.value:
        raise conflict(
            "round-not-open",
            f"The round is {round_row['status']}: decisions can no longer be recorded.",
        )
    requested = request["amounts"]
    _check_amounts(command, requested)
    key = lambda category: AppropriationKey(  # noqa: E731
        request["plan_id"], request["strategy_id"], request["project_id"], request["fiscal_year"], category
    )
    postings: list[Posting] = []
    common = {"agency": request["agency"], "round_id": request["round_id"], "request_id": request["request_id"]}
    if request["decision"]:
        previous = Decision(request["decision"])
        before = decision_amounts(previous, requested, request["recommended_amounts"])
        postings += [
            Posting(key(c), DECISION_STAGE[previous], -a, note="decision replaced", **common)
            for c, a in sorted(before.items())
            if a
        ]
    after = decision_amounts(command.decision, requested, command.recommended_amounts)
    postings += [Posting(key(c), DECISION_STAGE[command.decision], a, **common) for c, a in sorted(after.items()) if a]
    await repos.ledger.post(postings, actor)
    recommended = after if DECISION_STAGE[command.decision] == "recommended" else {}
    recommended_total = sum(recommended.values(), Decimal("0.00"))
    await repos.screening.change_request(
        command.request_id,
        decision=command.decision.value,
        rank=command.rank,
        recommended_amounts=recommended or None,
        recommended_total=recommended_total,
        decided_at=utcnow(),
        decision_meeting=meeting,
    )
    await repos.screening.move_tally(
        Bucket(request["round_id"], request["strategy_id"], request["agency"], request["decision"]),
        Bucket(request["round_id"], request["strategy_id"], request["agency"], command.decision.value),
        request["requested_total"],
        request["recommended_total"],
        request["requested_total"],
        recommended_total,
    )
    await repos.screening.add_history(
        command.request_id,
        "decided",
        actor,
        decision=command.decision.value,
        amount=recommended_total,
        rank=command.rank,
        reason=command.reason,
        meeting=meeting,
    )
    await uow.publish(
        DECISION_RECORDED,
        request["round_id"],
        {
            "round_id": request["round_id"],
            "request_id": command.request_id,
            "project_id": request["project_id"],
            "decision": command.decision.value,
            "recommended_amount": money_str(recommended_total),
            "rank": command.rank,
            "reason": command.reason,
            "meeting": meeting,
            "recorded_by": actor,
        },
    )
    return await repos.screening.request(command.request_id)


