"""Read side of the ledger: entries (keyset-paginated) and balances grouped by any levels."""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.db.tables import appropriations, ledger_entries
from budget_ledger.domain.money import money_str
from budget_ledger.domain.stages import STAGES
from dgplan_contracts.storage import Satang
from dgplan_shared.problems import invalid

GROUP_LEVELS = ("plan", "strategy", "project", "fiscal_year", "expense_category", "agency")
_LEVEL_COLUMN = {
    "plan": "plan_id",
    "strategy": "strategy_id",
    "project": "project_id",
    "fiscal_year": "fiscal_year",
    "expense_category": "expense_category",
    "agency": "agency",
}
BALANCE_STAGES = tuple(s for s in STAGES if s != "framework")


def encode_cursor(value: int) -> str:
    return base64.urlsafe_b64encode(str(value).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        value = int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (ValueError, UnicodeDecodeError):
        value = -1
    if not 0 <= value < 2**62:  # also keeps it inside PostgreSQL's bigint
        raise invalid("cursor", "not a cursor this API returned")
    return value


def _entry_json(row: Any) -> dict[str, Any]:
    return {
        "entry_id": row["entry_id"],
        "seq": row["seq"],
        "plan_id": row["plan_id"],
        "strategy_id": row["strategy_id"] or None,
        "project_id": row["project_id"] or None,
        "fiscal_year": row["fiscal_year"] or None,
        "expense_category": row["expense_category"] or None,
        "stage": row["stage"],
        "amount": money_str(row["amount"]),
        "agency": row["agency"],
        "round_id": row["round_id"],
        "request_id": row["request_id"],
        "reference": row["reference"],
        "note": row["note"],
        "posted_by": row["posted_by"],
        "posted_at": row["posted_at"].isoformat(),
    }


async def list_entries(
    session: AsyncSession, filters: dict[str, Any], limit: int, cursor: str | None, descending: bool
) -> dict[str, Any]:
    e = ledger_entries.c
    query = select(ledger_entries)
    for name, value in filters.items():
        if value is not None:
            query = query.where(getattr(e, name) == value)
    after = decode_cursor(cursor)
    if after is not None:
        query = query.where(e.seq < after if descending else e.seq > after)
    query = query.order_by(e.seq.desc() if descending else e.seq).limit(limit + 1)
    rows = (await session.execute(query)).mappings().all()
    items = [_entry_json(r) for r in rows[:limit]]
    next_cursor = encode_cursor(rows[limit - 1]["seq"]) if len(rows) > limit else None
    return {"items": items, "next_cursor": next_cursor}


async def get_entry(session: AsyncSession, entry_id: str) -> dict[str, Any] | None:
    row = (await session.execute(select(ledger_entries).where(ledger_entries.c.entry_id == entry_id))).mappings().first()
    return _entry_json(row) if row else None


async def balances(
    session: AsyncSession, group_by: list[str], filters: dict[str, Any], limit: int, cursor: str | None
) -> dict[str, Any]:
    """Sums per stage of project appropriations (framework rows are in the reconciliation)."""
    a = appropriations.c
    columns = [getattr(a, _LEVEL_COLUMN[level]) for level in group_by]
    sums = [func.coalesce(func.sum(getattr(a, s)), 0).cast(Satang()).label(s) for s in BALANCE_STAGES]
    query = select(*columns, *sums, func.count().label("appropriations")).where(a.project_id != "")
    for name, value in filters.items():
        if value is not None:
            query = query.where(getattr(a, name) == value)
    offset = decode_cursor(cursor) or 0
    if columns:
        query = query.group_by(*columns).order_by(*columns)
    query = query.offset(offset).limit(limit + 1)
    rows = (await session.execute(query)).mappings().all()
    items = []
    for row in rows[:limit]:
        item: dict[str, Any] = {level: row[_LEVEL_COLUMN[level]] for level in group_by}
        item["balances"] = {s: money_str(row[s]) for s in BALANCE_STAGES}
        item["available"] = {
            "to_allocate": money_str(row["approved"] - row["allocated"]),
            "to_commit": money_str(row["allocated"] - row["committed"]),
            "to_disburse": money_str(row["committed"] - row["disbursed"]),
        }
        item["appropriations"] = row["appropriations"]
        items.append(item)
    next_cursor = encode_cursor(offset + limit) if len(rows) > limit else None
    return {"group_by": group_by, "items": items, "next_cursor": next_cursor}
