"""Payloads of the budget.* events (the contract's minimum plus a few useful fields)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from budget_ledger.domain.postings import PostedEntry
from budget_ledger.events.types import STAGE_EVENTS
from dgplan_contracts.money import money_str
from dgplan_shared.events import CloudEvent


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


def stage_events(source: str, entries: Sequence[PostedEntry]) -> list[CloudEvent]:
    """allocation-posted / commitment-posted / disbursement-posted for each such (positive) entry."""
    return [
        CloudEvent.new(source, STAGE_EVENTS[e.posting.stage], e.posting.key.project_id, entry_event_data(e))
        for e in entries
        if e.posting.stage in STAGE_EVENTS and e.posting.amount > 0
    ]
