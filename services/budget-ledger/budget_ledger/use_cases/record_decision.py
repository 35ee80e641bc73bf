"""The screening subcommittee records (or changes) its decision on one request.

A changed decision is never an edit of the ledger: the previous decision's entries are reversed
by new negative entries and the new decision's entries posted, and both stay in the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import update

from budget_ledger.db.tables import screening_requests
from budget_ledger.domain.money import money_str
from budget_ledger.domain.screening import DECISION_STAGE, Decision, RoundStatus, decision_amounts
from budget_ledger.events.types import DECISION_RECORDED
from budget_ledger.ledger.posting import AppropriationKey, Posting, post
from budget_ledger.screening import tallies
from budget_ledger.screening.repository import add_history, amounts_from_json, amounts_to_json, load_request, load_round, request_json
from budget_ledger.text import nfc
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.problems import conflict, invalid


@dataclass(frozen=True)
class RecordDecision:
    request_id: str
    decision: Decision
    reason: str
    rank: int | None = None
    recommended_amounts: dict[str, Decimal] | None = None


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


async def record_decision(uow: UnitOfWork, command: RecordDecision, actor: str) -> dict[str, Any]:
    session = uow.session
    request = await load_request(session, command.request_id, lock=True)
    round_row = await load_round(session, request["round_id"])
    if round_row["status"] != RoundStatus.OPEN.value:
        raise conflict(
            "round-not-open",
            f"The round is {round_row['status']}: decisions can no longer be recorded.",
        )
    requested = amounts_from_json(request["amounts"])
    _check_amounts(command, requested)
    key = lambda category: AppropriationKey(  # noqa: E731
        request["plan_id"], request["strategy_id"], request["project_id"], request["fiscal_year"], category
    )
    postings: list[Posting] = []
    common = {"agency": request["agency"], "round_id": request["round_id"], "request_id": request["request_id"]}
    if request["decision"]:
        previous = Decision(request["decision"])
        before = decision_amounts(previous, requested, amounts_from_json(request["recommended_amounts"]))
        postings += [
            Posting(key(c), DECISION_STAGE[previous], -a, note="decision replaced", **common)
            for c, a in sorted(before.items())
            if a
        ]
    after = decision_amounts(command.decision, requested, command.recommended_amounts)
    postings += [Posting(key(c), DECISION_STAGE[command.decision], a, **common) for c, a in sorted(after.items()) if a]
    await post(session, postings, actor)
    recommended = after if DECISION_STAGE[command.decision] == "recommended" else {}
    recommended_total = sum(recommended.values(), Decimal("0.00"))
    await session.execute(
        update(screening_requests)
        .where(screening_requests.c.request_id == command.request_id)
        .values(
            decision=command.decision.value,
            rank=command.rank,
            recommended_amounts=amounts_to_json(recommended) if recommended else None,
            recommended_total=recommended_total,
            decided_at=utcnow(),
            version=screening_requests.c.version + 1,
        )
    )
    await tallies.move(
        session,
        tallies.Bucket(request["round_id"], request["strategy_id"], request["agency"], request["decision"]),
        tallies.Bucket(request["round_id"], request["strategy_id"], request["agency"], command.decision.value),
        request["requested_total"],
        request["recommended_total"],
        request["requested_total"],
        recommended_total,
    )
    reason = nfc(command.reason)
    await add_history(
        session,
        command.request_id,
        "decided",
        actor,
        decision=command.decision.value,
        amount=recommended_total,
        rank=command.rank,
        reason=reason,
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
            "reason": reason,
        },
    )
    return request_json(await load_request(session, command.request_id))


