"""Screening status for subcommittees: counts and amounts per decision, what is unscreened,
time to each deadline — for the whole round or per strategy, agency or project.

Everything is one GROUP BY over ``screening_requests`` on the (round_id, …) indexes, so a round of
10,000 requests answers in milliseconds.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.db.tables import screening_requests, screening_tallies
from budget_ledger.domain.money import money_str
from budget_ledger.domain.screening import DECISIONS
from budget_ledger.ledger.queries import decode_cursor, encode_cursor
from dgplan_contracts.storage import Satang

UNSCREENED = "unscreened"
DIMENSIONS = {"strategies": "strategy_id", "agencies": "agency", "projects": "project_id"}


def _empty() -> dict[str, Any]:
    return {"count": 0, "requested": Decimal("0.00"), "recommended": Decimal("0.00"), "approved": Decimal("0.00")}


def _fold(rows: list[Any]) -> dict[str, Any]:
    """Rows of (decision, count, requested, recommended, approved) → one summary."""
    per = {d: _empty() for d in (*DECISIONS, UNSCREENED)}
    for decision, count, requested, recommended, approved in rows:
        bucket = per[decision or UNSCREENED]
        count, requested, recommended, approved = int(count), Decimal(requested), Decimal(recommended), Decimal(approved)
        bucket["count"] += count
        bucket["requested"] += requested
        bucket["recommended"] += recommended
        bucket["approved"] += approved
    total = _empty()
    for bucket in per.values():
        for k in total:
            total[k] += bucket[k]
    render = lambda b: {  # noqa: E731
        "count": b["count"],
        "requested": money_str(b["requested"]),
        "recommended": money_str(b["recommended"]),
        "approved": money_str(b["approved"]),
    }
    return {
        "request_count": total["count"],
        "screened_count": total["count"] - per[UNSCREENED]["count"],
        "requested_total": money_str(total["requested"]),
        "recommended_total": money_str(total["recommended"]),
        "approved_total": money_str(total["approved"]),
        "unscreened": render(per[UNSCREENED]),
        "decisions": {d: render(per[d]) for d in DECISIONS},
        "_recommended": total["recommended"],
    }


def _request_aggregates():  # type: ignore[no-untyped-def]
    r = screening_requests.c
    return (
        r.decision,
        func.count(),
        func.coalesce(func.sum(r.requested_total), 0).cast(Satang()),
        func.coalesce(func.sum(r.recommended_total), 0).cast(Satang()),
        func.coalesce(func.sum(r.approved_total), 0).cast(Satang()),
    )


def _tally_aggregates():  # type: ignore[no-untyped-def]
    t = screening_tallies.c
    return (
        t.decision,
        func.coalesce(func.sum(t.request_count), 0),
        func.coalesce(func.sum(t.requested), 0).cast(Satang()),
        func.coalesce(func.sum(t.recommended), 0).cast(Satang()),
        func.coalesce(func.sum(t.approved), 0).cast(Satang()),
    )


def _deadline(at: datetime, now: datetime) -> dict[str, Any]:
    seconds = int((at - now).total_seconds())
    return {"at": at.isoformat(), "seconds_left": max(seconds, 0), "passed": seconds < 0}


async def round_status(
    session: AsyncSession, round_row: Any, now: datetime, filters: dict[str, str | None]
) -> dict[str, Any]:
    if filters.get("project_id") is not None:  # one project: its request(s), read directly
        r = screening_requests.c
        query = select(*_request_aggregates()).where(r.round_id == round_row["round_id"]).group_by(r.decision)
        for column, value in filters.items():
            if value is not None:
                query = query.where(getattr(r, column) == value)
    else:  # the running totals: a few rows per strategy and agency, whatever the round's size
        t = screening_tallies.c
        query = select(*_tally_aggregates()).where(t.round_id == round_row["round_id"]).group_by(t.decision)
        for column in ("strategy_id", "agency"):
            if filters.get(column) is not None:
                query = query.where(getattr(t, column) == filters[column])
    summary = _fold((await session.execute(query)).all())
    recommended = summary.pop("_recommended")
    return {
        "round_id": round_row["round_id"],
        "fiscal_year": round_row["fiscal_year"],
        "status": round_row["status"],
        "filters": {k: v for k, v in filters.items() if v is not None},
        "as_of": now.isoformat(),
        "deadlines": {
            "submission": _deadline(round_row["submission_deadline"], now),
            "decision": _deadline(round_row["decision_deadline"], now),
        },
        "ceiling": money_str(round_row["ceiling"]),
        "ceiling_remaining": money_str(round_row["ceiling"] - recommended),
        **summary,
    }


async def grouped_status(
    session: AsyncSession, round_id: str, dimension: str, limit: int, cursor: str | None
) -> dict[str, Any]:
    if dimension == "projects":
        return await _per_project(session, round_id, limit, cursor)
    t = screening_tallies.c
    column = getattr(t, DIMENSIONS[dimension])
    offset = decode_cursor(cursor) or 0
    rows = (
        await session.execute(
            select(column, *_tally_aggregates()).where(t.round_id == round_id).group_by(column, t.decision).order_by(column)
        )
    ).all()
    by_key: dict[str, list[Any]] = {}
    for row in rows:
        by_key.setdefault(row[0], []).append(tuple(row[1:]))
    keys = [k for k in sorted(by_key) if any(r[1] for r in by_key[k])]  # groups that hold requests
    page = keys[offset : offset + limit]
    items = []
    for key in page:
        summary = _fold(by_key[key])
        summary.pop("_recommended")
        items.append({DIMENSIONS[dimension]: key, **summary})
    return {
        "round_id": round_id,
        "dimension": dimension,
        "items": items,
        "next_cursor": encode_cursor(offset + limit) if len(keys) > offset + limit else None,
    }


async def _per_project(session: AsyncSession, round_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """One request per project and round: the project view is the requests themselves, in pages."""
    r = screening_requests.c
    offset = decode_cursor(cursor) or 0
    rows = (
        await session.execute(
            select(*_request_aggregates(), r.project_id)
            .where(r.round_id == round_id)
            .group_by(r.project_id, r.decision)
            .order_by(r.project_id)
            .offset(offset)
            .limit(limit + 1)
        )
    ).all()
    items = []
    for row in rows[:limit]:
        summary = _fold([tuple(row[:5])])
        summary.pop("_recommended")
        items.append({"project_id": row[5], **summary})
    return {
        "round_id": round_id,
        "dimension": "projects",
        "items": items,
        "next_cursor": encode_cursor(offset + limit) if len(rows) > limit else None,
    }
