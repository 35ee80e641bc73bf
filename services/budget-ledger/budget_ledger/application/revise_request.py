"""The lead agency revises a request the subcommittee returned for revision.

The returned amounts are released (a negative ``returned`` entry), the requested amounts move by
the difference, and the request is unscreened again, waiting for a new decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from budget_ledger.application.etags import request_etag
from budget_ledger.application.repositories import repositories
from budget_ledger.domain.postings import AppropriationKey, Posting
from budget_ledger.domain.screening import Bucket, Decision, RoundStatus
from budget_ledger.events.types import REQUEST_REVISED
from dgplan_contracts.identity import Principal, forbidden
from dgplan_contracts.money import money_str
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import conflict
from dgplan_shared.text import normalize_text
from dgplan_shared.web.etags import require_if_match


@dataclass(frozen=True)
class ReviseRequest:
    request_id: str
    amounts: dict[str, Decimal]
    justification: str
    if_match: str | None
    principal: Principal


async def handle(command: ReviseRequest, uow: UnitOfWork) -> dict[str, Any]:
    principal = command.principal
    repos = repositories(uow)
    request = await repos.screening.request(command.request_id, lock=True)
    if not principal.acts_for_agency(request["agency"]):
        raise forbidden("Only the project's lead agency may revise its request.")
    require_if_match(command.if_match, request_etag(request), "request")
    if request["decision"] != Decision.RETURN.value:
        raise conflict("request-not-returned", "Only a request returned for revision can be revised.")
    round_row = await repos.screening.round(request["round_id"])
    if round_row["status"] != RoundStatus.OPEN.value:
        raise conflict("round-not-open", f"The round is {round_row['status']}.")
    before = request["amounts"]
    key = lambda c: AppropriationKey(  # noqa: E731
        request["plan_id"], request["strategy_id"], request["project_id"], request["fiscal_year"], c
    )
    common = {"agency": request["agency"], "round_id": request["round_id"], "request_id": request["request_id"]}
    postings = [Posting(key(c), "returned", -a, note="revised", **common) for c, a in sorted(before.items()) if a]
    for c in sorted(set(before) | set(command.amounts)):
        delta = command.amounts.get(c, Decimal(0)) - before.get(c, Decimal(0))
        if delta:
            postings.append(Posting(key(c), "requested", delta, note="revised", **common))
    await repos.ledger.post(postings, principal.subject)
    total = sum(command.amounts.values(), Decimal("0.00"))
    justification = normalize_text(command.justification)
    await repos.screening.change_request(
        command.request_id,
        amounts=command.amounts,
        requested_total=total,
        justification=justification,
        decision=None,
        rank=None,
        recommended_amounts=None,
        recommended_total=Decimal(0),
        decided_at=None,
    )
    await repos.screening.move_tally(
        Bucket(request["round_id"], request["strategy_id"], request["agency"], request["decision"]),
        Bucket(request["round_id"], request["strategy_id"], request["agency"], None),
        request["requested_total"],
        request["recommended_total"],
        total,
        Decimal(0),
    )
    await repos.screening.add_history(command.request_id, "revised", principal.subject, amount=total, reason=justification)
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
    return await repos.screening.request(command.request_id)
