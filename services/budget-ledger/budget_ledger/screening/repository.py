"""Reads of rounds and requests shared by the screening use cases."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.db.tables import request_history, screening_requests, screening_rounds
from budget_ledger.domain.fiscal import fiscal_year_range_json
from budget_ledger.domain.money import money_str
from dgplan_shared.db.types import utcnow
from dgplan_shared.problems import not_found


async def load_round(session: AsyncSession, round_id: str, *, lock: bool = False):  # type: ignore[no-untyped-def]
    query = select(screening_rounds).where(screening_rounds.c.round_id == round_id)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).mappings().first()
    if row is None:
        raise not_found("screening round", round_id)
    return row


async def load_request(session: AsyncSession, request_id: str, *, lock: bool = False):  # type: ignore[no-untyped-def]
    query = select(screening_requests).where(screening_requests.c.request_id == request_id)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).mappings().first()
    if row is None:
        raise not_found("screening request", request_id)
    return row


def amounts_from_json(text: str | None) -> dict[str, Decimal]:
    if not text:
        return {}
    return {k: Decimal(v) for k, v in orjson.loads(text).items()}


def amounts_to_json(amounts: dict[str, Decimal]) -> str:
    return orjson.dumps({k: money_str(v) for k, v in sorted(amounts.items())}).decode()


async def add_history(
    session: AsyncSession,
    request_id: str,
    action: str,
    actor: str,
    *,
    decision: str | None = None,
    amount: Decimal | None = None,
    rank: int | None = None,
    reason: str | None = None,
) -> None:
    await session.execute(
        request_history.insert().values(
            request_id=request_id,
            action=action,
            decision=decision,
            amount=amount,
            rank=rank,
            reason=reason,
            actor=actor,
            at=utcnow(),
        )
    )


def round_json(row: Any) -> dict[str, Any]:
    return {
        "round_id": row["round_id"],
        "plan_id": row["plan_id"],
        "fiscal_year": row["fiscal_year"],
        "fiscal_year_range": fiscal_year_range_json(row["fiscal_year"]),
        "title": row["title"],
        "ceiling": money_str(row["ceiling"]),
        "submission_deadline": row["submission_deadline"].isoformat(),
        "decision_deadline": row["decision_deadline"].isoformat(),
        "status": row["status"],
        "approved_total": money_str(row["approved_total"]),
        "published": bool(row["published"]),
        "opened_by": row["opened_by"],
        "opened_at": row["opened_at"].isoformat(),
        "package_submitted_at": row["package_submitted_at"].isoformat() if row["package_submitted_at"] else None,
        "approved_at": row["approved_at"].isoformat() if row["approved_at"] else None,
        "closed_at": row["closed_at"].isoformat() if row["closed_at"] else None,
        "version": row["version"],
    }


def request_json(row: Any) -> dict[str, Any]:
    return {
        "request_id": row["request_id"],
        "round_id": row["round_id"],
        "project_id": row["project_id"],
        "plan_id": row["plan_id"],
        "strategy_id": row["strategy_id"],
        "agency": row["agency"],
        "fiscal_year": row["fiscal_year"],
        "amounts": {k: money_str(v) for k, v in amounts_from_json(row["amounts"]).items()},
        "requested_total": money_str(row["requested_total"]),
        "decision": row["decision"],
        "recommended_amounts": (
            {k: money_str(v) for k, v in amounts_from_json(row["recommended_amounts"]).items()}
            if row["recommended_amounts"]
            else None
        ),
        "recommended_total": money_str(row["recommended_total"]),
        "approved_total": money_str(row["approved_total"]),
        "rank": row["rank"],
        "priority": row["priority"],
        "multi_year": bool(row["multi_year"]),
        "justification": row["justification"],
        "alignment": orjson.loads(row["alignment"]) if row["alignment"] else None,
        "submitted_by": row["submitted_by"],
        "submitted_at": row["submitted_at"].isoformat(),
        "decided_at": row["decided_at"].isoformat() if row["decided_at"] else None,
        "version": row["version"],
    }


async def history_json(session: AsyncSession, request_id: str) -> list[dict[str, Any]]:
    h = request_history.c
    rows = (
        await session.execute(select(request_history).where(h.request_id == request_id).order_by(h.seq))
    ).mappings()
    return [
        {
            "action": r["action"],
            "decision": r["decision"],
            "amount": money_str(r["amount"]) if r["amount"] is not None else None,
            "rank": r["rank"],
            "reason": r["reason"],
            "actor": r["actor"],
            "at": r["at"].isoformat(),
        }
        for r in rows
    ]
