"""Published screening results as the public reads them: which rounds have results to show, and the
approved totals per strategy and per agency summed from the ledger's per-request lines (the public
results answer carries the lines and the round's totals, not the groupings). Exact: Decimal only."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# The committee approved the package (the ledger posted the amounts), or the round is closed since.
APPROVED_STATUSES = ("approved", "closed")


@dataclass(frozen=True)
class GroupTotal:
    key: str
    request_count: int
    requested: Decimal
    approved: Decimal


def is_published(round_: dict[str, Any]) -> bool:
    return round_.get("status") == "closed" and bool(round_.get("published"))


def approved_rounds(rounds: list[dict[str, Any]], oversees: bool) -> list[dict[str, Any]]:
    """Rounds whose package the committee approved and whose results the caller may read (the ledger
    shows an unpublished round's results to oversight roles only), newest fiscal year first."""
    found = [r for r in rounds if r.get("status") in APPROVED_STATUSES and (oversees or is_published(r))]
    return sorted(found, key=lambda r: (-(r.get("fiscal_year") or 0), r.get("round_id") or ""))


def _amount(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal("0.00")


def totals_by(items: list[dict[str, Any]], key: str) -> list[GroupTotal]:
    """Requested and approved baht per value of ``key`` (``strategy_id`` or ``agency``), the largest
    approval first (then by key, so equal totals keep one order)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault(str(item.get(key) or ""), []).append(item)
    totals = [
        GroupTotal(k, len(members), sum((_amount(m.get("requested_total")) for m in members), Decimal("0.00")),
                   sum((_amount(m.get("approved_total")) for m in members), Decimal("0.00")))
        for k, members in groups.items()
    ]
    return sorted(totals, key=lambda t: (-t.approved, t.key))


def approved_sum(items: list[dict[str, Any]]) -> Decimal:
    return sum((_amount(i.get("approved_total")) for i in items), Decimal("0.00"))


def in_approval_order(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Approved requests first by the subcommittee's rank, then those approved nothing (deferred,
    rejected), so a reader meets the money first."""
    def order(item: dict[str, Any]) -> tuple:
        rank = item.get("rank")
        return (_amount(item.get("approved_total")) <= 0, rank is None, rank or 0, item.get("request_id") or "")

    return sorted(items, key=order)
