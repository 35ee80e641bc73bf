"""The lead agency revises a request the subcommittee returned for revision.

The returned amounts are released (a negative ``returned`` entry), the requested amounts move by
the difference, and the request is unscreened again, waiting for a new decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import update

from budget_ledger.db.tables import screening_requests
from budget_ledger.domain.money import money_str
from budget_ledger.domain.screening import Decision, RoundStatus
from budget_ledger.events.types import REQUEST_REVISED
from budget_ledger.ledger.posting import AppropriationKey, Posting, post
from budget_ledger.screening import tallies
from budget_ledger.screening.repository import add_history, amounts_from_json, amounts_to_json, load_request, load_round, request_json
from budget_ledger.text import nfc
from dgplan_shared.db.uow import UnitOfWork
from dgplan_contracts.identity import Principal, forbidden
from dgplan_shared.problems import ProblemError, conflict


@dataclass(frozen=True)
class ReviseRequest:
    request_id: str
    amounts: dict[str, Decimal]
    justification: str
    expected_version: int


async def revise_request(uow: UnitOfWork, command: ReviseRequest, principal: Principal) -> dict[str, Any]:
    session = uow.session
    request = await load_request(session, command.request_id, lock=True)
    if not principal.acts_for_agency(request["agency"]):
        raise forbidden("Only the project's lead agency may revise its request.")
    if request["version"] != command.expected_version:
        raise ProblemError(412, "precondition-failed", "Precondition failed", "The request changed since you read it.")
    if request["decision"] != Decision.RETURN.value:
        raise conflict("request-not-returned", "Only a request returned for revision can be revised.")
    round_row = await load_round(session, request["round_id"])
    if round_row["status"] != RoundStatus.OPEN.value:
        raise conflict("round-not-open", f"The round is {round_row['status']}.")
    before = amounts_from_json(request["amounts"])
    key = lambda c: AppropriationKey(  # noqa: E731
        request["plan_id"], request["strategy_id"], request["project_id"], request["fiscal_year"], c
    )
    common = {"agency": request["agency"], "round_id": request["round_id"], "request_id": request["request_id"]}
    postings = [Posting(key(c), "returned", -a, note="revised", **common) for c, a in sorted(before.items()) if a]
    for c in sorted(set(before) | set(command.amounts)):
        delta = command.amounts.get(c, Decimal(0)) - before.get(c, Decimal(0))
        if delta:
            postings.append(Posting(key(c), "requested", delta, note="revised", **common))
    await post(session, postings, principal.subject)
    total = sum(command.amounts.values(), Decimal("0.00"))
    await session.execute(
        update(screening_requests)
        .where(screening_requests.c.request_id == command.request_id)
        .values(
            amounts=amounts_to_json(command.amounts),
            requested_total=total,
            justification=nfc(command.justification),
            decision=None,
            rank=None,
            recommended_amounts=None,
            recommended_total=Decimal(0),
            decided_at=None,
            version=screening_requests.c.version + 1,
        )
    )
    await tallies.move(
        session,
        tallies.Bucket(request["round_id"], request["strategy_id"], request["agency"], request["decision"]),
        tallies.Bucket(request["round_id"], request["strategy_id"], request["agency"], None),
        request["requested_total"],
        request["recommended_total"],
        total,
        Decimal(0),
    )
    await add_history(session, command.request_id, "revised", principal.subject, amount=total, reason=nfc(command.justification))
    await uow.publish(
        REQUEST_REVISED,
        request["round_id"],
        {
            "round_id": request["round_id"],
            "request_id": command.request_id,
            "project_id": request["project_id"],
            "agency": request["agency"],
            "amount": money_str(total),
        },
    )
    return request_json(await load_request(session, command.request_id))
