"""Payloads of the budget.* events (the contract's minimum plus a few useful fields)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from budget_ledger.db.tables import outbox
from budget_ledger.domain.money import money_str
from budget_ledger.events.types import STAGE_EVENTS
from budget_ledger.ledger.posting import PostedEntry
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent, topic_for


def entry_event_data(entry: PostedEntry) -> dict[str, Any]:
    p = entry.posting
    return {
        "entry_id": entry.entry_id,
        "project_id": p.key.project_id,
        "plan_id": p.key.plan_id,
        "strategy_id": p.key.strategy_id,
        "agency": p.agency,
        "fiscal_year": p.key.fiscal_year,
        "expense_category": p.key.expense_category,
        "stage": p.stage,
        "amount": money_str(p.amount),
        "round_id": p.round_id,
        "request_id": p.request_id,
        "reference": p.reference,
        "posted_at": entry.posted_at.isoformat(),
    }


async def publish_stage_events(uow: UnitOfWork, entries: list[PostedEntry]) -> None:
    """allocation-posted / commitment-posted / disbursement-posted for each such entry.

    Written to the outbox in one multi-row statement (a batch of 1,000 postings would otherwise
    cost 1,000 round trips); rows exactly as ``UnitOfWork.publish`` writes them.
    """
    events = [
        CloudEvent.new(uow.service, STAGE_EVENTS[e.posting.stage], e.posting.key.project_id, entry_event_data(e))
        for e in entries
        if e.posting.stage in STAGE_EVENTS and e.posting.amount > 0
    ]
    if not events:
        return
    now = utcnow()
    await uow.session.execute(
        insert(outbox),
        [
            {
                "event_id": event.id,
                "topic": topic_for(event.type),
                "key": event.subject,
                "event_type": event.type,
                "envelope": event.to_json().decode(),
                "created_at": now,
            }
            for event in events
        ],
    )
    uow.published.extend(events)
