"""The committee approved the screened package (event from the governance engine): post the
approved amounts — exactly the recommended ones — and, unless turned off by the setting
``auto_allocate_on_approval``, allocate them at once (in this plan the committee's approval is
the allocation decision; a deployment where the Budget Bureau allocates later turns it off and
posts allocations through the postings API).

Replays are harmless: a round already approved is left as it is.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from dataclasses import dataclass

from budget_ledger.application import ranking
from budget_ledger.application.repositories import repositories
from budget_ledger.domain.postings import AppropriationKey, Posting
from budget_ledger.domain.screening import Bucket, RoundStatus
from budget_ledger.events.payloads import stage_events
from budget_ledger.events.types import ROUND_APPROVED
from dgplan_contracts.money import money_str
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork

log = logging.getLogger(__name__)


class ApprovalRefused(Exception):
    """The approval cannot be applied (it would break an invariant); the event is dead-lettered."""


@dataclass(frozen=True)
class ApproveRound:
    round_id: str
    approved_by: str
    auto_allocate: bool
    reason: str | None = None


@dataclass(frozen=True)
class ReturnPackage:
    round_id: str
    returned_by: str
    reason: str | None = None


async def approve_round(command: ApproveRound, uow: UnitOfWork) -> dict[str, Any] | None:
    round_id, actor, auto_allocate, reason = command.round_id, command.approved_by, command.auto_allocate, command.reason
    repos = repositories(uow)
    round_row = await repos.screening.round(round_id, lock=True)
    if round_row["status"] in (RoundStatus.APPROVED.value, RoundStatus.CLOSED.value):
        log.info("round already approved; approval ignored", extra={"round_id": round_id})
        return None
    if round_row["status"] != RoundStatus.PACKAGE_SUBMITTED.value:
        raise ApprovalRefused(f"round {round_id} is {round_row['status']}: no package to approve")
    requests = await repos.screening.recommended_requests(round_id)
    total = sum((q["recommended_total"] for q in requests), Decimal("0.00"))
    if total > round_row["ceiling"]:
        raise ApprovalRefused(f"approved total {total} above ceiling {round_row['ceiling']}")
    postings: list[Posting] = []
    for q in requests:
        for category, amount in sorted((q["recommended_amounts"] or {}).items()):
            if not amount:
                continue
            key = AppropriationKey(q["plan_id"], q["strategy_id"], q["project_id"], q["fiscal_year"], category)
            common = {"agency": q["agency"], "round_id": round_id, "request_id": q["request_id"]}
            postings.append(Posting(key, "approved", amount, **common))
            if auto_allocate:
                postings.append(Posting(key, "allocated", amount, note="allocated on approval", **common))
    entries = await repos.ledger.post(postings, actor)
    now = utcnow()
    approved_by_bucket: dict[Bucket, Decimal] = {}
    for q in requests:
        bucket = Bucket(round_id, q["strategy_id"], q["agency"], q["decision"])
        approved_by_bucket[bucket] = approved_by_bucket.get(bucket, Decimal(0)) + q["recommended_total"]
    for bucket, amount in sorted(approved_by_bucket.items(), key=lambda item: (item[0].strategy_id, item[0].agency, item[0].decision or "")):
        await repos.screening.tally(bucket, 0, approved=amount)
    for q in requests:
        await repos.screening.change_request(q["request_id"], approved_total=q["recommended_total"])
        await repos.screening.add_history(q["request_id"], "approved", actor, amount=q["recommended_total"], reason=reason)
    await repos.screening.change_round(round_id, status=RoundStatus.APPROVED.value, approved_total=total, approved_at=now)
    await uow.publish(
        ROUND_APPROVED,
        round_id,
        {
            "round_id": round_id,
            "plan_id": round_row["plan_id"],
            "fiscal_year": round_row["fiscal_year"],
            "approved_total": money_str(total),
            "request_count": len(requests),
            "allocated": auto_allocate,
        },
    )
    await repos.events.publish_many(stage_events(uow.service, entries))
    # The committee approves the package with its ranking: the ranks and the cut line freeze now.
    await ranking.approve_with_package(uow, round_row, actor)
    return {"round_id": round_id, "approved_total": money_str(total)}


async def return_package(command: ReturnPackage, uow: UnitOfWork) -> None:
    """The committee sent the package back: decisions reopen until the subcommittee resubmits."""
    round_id = command.round_id
    repos = repositories(uow)
    round_row = await repos.screening.round(round_id, lock=True)
    if round_row["status"] != RoundStatus.PACKAGE_SUBMITTED.value:
        log.info("package return ignored", extra={"round_id": round_id, "status": round_row["status"]})
        return
    await repos.screening.change_round(round_id, status=RoundStatus.OPEN.value, package_submitted_at=None)
