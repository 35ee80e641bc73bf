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

from sqlalchemy import select, update

from budget_ledger.db.tables import screening_requests, screening_rounds
from budget_ledger.domain.money import money_str
from budget_ledger.domain.screening import RoundStatus
from budget_ledger.events.payloads import publish_stage_events
from budget_ledger.events.types import ROUND_APPROVED
from budget_ledger.ledger.posting import AppropriationKey, Posting, post
from budget_ledger.screening import tallies
from budget_ledger.screening.repository import add_history, amounts_from_json, load_round
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork

log = logging.getLogger(__name__)


class ApprovalRefused(Exception):
    """The approval cannot be applied (it would break an invariant); the event is dead-lettered."""


async def approve_round(
    uow: UnitOfWork, round_id: str, actor: str, *, auto_allocate: bool, reason: str | None = None
) -> dict[str, Any] | None:
    session = uow.session
    round_row = await load_round(session, round_id, lock=True)
    if round_row["status"] in (RoundStatus.APPROVED.value, RoundStatus.CLOSED.value):
        log.info("round already approved; approval ignored", extra={"round_id": round_id})
        return None
    if round_row["status"] != RoundStatus.PACKAGE_SUBMITTED.value:
        raise ApprovalRefused(f"round {round_id} is {round_row['status']}: no package to approve")
    r = screening_requests.c
    requests = (
        await session.execute(
            select(screening_requests)
            .where(r.round_id == round_id, r.recommended_total > 0)
            .order_by(r.request_id)
        )
    ).mappings().all()
    total = sum((q["recommended_total"] for q in requests), Decimal("0.00"))
    if total > round_row["ceiling"]:
        raise ApprovalRefused(f"approved total {total} above ceiling {round_row['ceiling']}")
    postings: list[Posting] = []
    for q in requests:
        for category, amount in sorted(amounts_from_json(q["recommended_amounts"]).items()):
            if not amount:
                continue
            key = AppropriationKey(q["plan_id"], q["strategy_id"], q["project_id"], q["fiscal_year"], category)
            common = {"agency": q["agency"], "round_id": round_id, "request_id": q["request_id"]}
            postings.append(Posting(key, "approved", amount, **common))
            if auto_allocate:
                postings.append(Posting(key, "allocated", amount, note="allocated on approval", **common))
    entries = await post(session, postings, actor)
    now = utcnow()
    approved_by_bucket: dict[tallies.Bucket, Decimal] = {}
    for q in requests:
        bucket = tallies.Bucket(round_id, q["strategy_id"], q["agency"], q["decision"])
        approved_by_bucket[bucket] = approved_by_bucket.get(bucket, Decimal(0)) + q["recommended_total"]
    for bucket, amount in sorted(approved_by_bucket.items(), key=lambda item: (item[0].strategy_id, item[0].agency, item[0].decision or "")):
        await tallies.add(session, bucket, 0, approved=amount)
    for q in requests:
        await session.execute(
            update(screening_requests)
            .where(r.request_id == q["request_id"])
            .values(approved_total=q["recommended_total"], version=r.version + 1)
        )
        await add_history(session, q["request_id"], "approved", actor, amount=q["recommended_total"], reason=reason)
    await session.execute(
        update(screening_rounds)
        .where(screening_rounds.c.round_id == round_id)
        .values(
            status=RoundStatus.APPROVED.value,
            approved_total=total,
            approved_at=now,
            version=screening_rounds.c.version + 1,
        )
    )
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
    await publish_stage_events(uow, entries)
    return {"round_id": round_id, "approved_total": money_str(total)}


async def return_package(uow: UnitOfWork, round_id: str, actor: str, reason: str | None) -> None:
    """The committee sent the package back: decisions reopen until the subcommittee resubmits."""
    session = uow.session
    round_row = await load_round(session, round_id, lock=True)
    if round_row["status"] != RoundStatus.PACKAGE_SUBMITTED.value:
        log.info("package return ignored", extra={"round_id": round_id, "status": round_row["status"]})
        return
    await session.execute(
        update(screening_rounds)
        .where(screening_rounds.c.round_id == round_id)
        .values(status=RoundStatus.OPEN.value, package_submitted_at=None, version=screening_rounds.c.version + 1)
    )
