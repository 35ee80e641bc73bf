"""Payloads of the budget.* events (the contract's minimum plus a few useful fields)."""

from __future__ import annotations

from typing import Any

from budget_ledger.domain.money import money_str
from budget_ledger.events.types import STAGE_EVENTS
from budget_ledger.ledger.posting import PostedEntry
from dgplan_shared.db.uow import UnitOfWork


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
    """allocation-posted / commitment-posted / disbursement-posted for each such entry."""
    for entry in entries:
        event_type = STAGE_EVENTS.get(entry.posting.stage)
        if event_type is not None and entry.posting.amount > 0:
            await uow.publish(event_type, entry.posting.key.project_id, entry_event_data(entry))
