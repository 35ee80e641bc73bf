"""Lists of rounds and of a round's requests (filter, sort, cursor)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.db.tables import screening_requests, screening_rounds
from budget_ledger.ledger.queries import decode_cursor, encode_cursor
from budget_ledger.screening.repository import request_json, round_json

REQUEST_SORTS = {
    "rank": lambda r: (r.rank.is_(None), r.rank, r.request_id),
    "submitted": lambda r: (r.submitted_at, r.request_id),
    "requested_total": lambda r: (r.requested_total, r.request_id),
    "-requested_total": lambda r: (r.requested_total.desc(), r.request_id),
    "project": lambda r: (r.project_id,),
}


async def list_rounds(session: AsyncSession, filters: dict[str, Any], limit: int, cursor: str | None) -> dict[str, Any]:
    c = screening_rounds.c
    query = select(screening_rounds)
    for name, value in filters.items():
        if value is not None:
            query = query.where(getattr(c, name) == value)
    offset = decode_cursor(cursor) or 0
    rows = (
        await session.execute(query.order_by(c.fiscal_year.desc(), c.opened_at, c.round_id).offset(offset).limit(limit + 1))
    ).mappings().all()
    return {
        "items": [round_json(r) for r in rows[:limit]],
        "next_cursor": encode_cursor(offset + limit) if len(rows) > limit else None,
    }


async def list_requests(
    session: AsyncSession, round_id: str, filters: dict[str, Any], sort: str, limit: int, cursor: str | None
) -> dict[str, Any]:
    r = screening_requests.c
    query = select(screening_requests).where(r.round_id == round_id)
    for name, value in filters.items():
        if value is None:
            continue
        if name == "decision" and value == "unscreened":
            query = query.where(r.decision.is_(None))
        else:
            query = query.where(getattr(r, name) == value)
    offset = decode_cursor(cursor) or 0
    rows = (
        await session.execute(query.order_by(*REQUEST_SORTS[sort](r)).offset(offset).limit(limit + 1))
    ).mappings().all()
    return {
        "items": [request_json(row) for row in rows[:limit]],
        "next_cursor": encode_cursor(offset + limit) if len(rows) > limit else None,
    }
