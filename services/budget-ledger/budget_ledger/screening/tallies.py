"""Move a request between the running totals of ``screening_tallies`` (same transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.db.tables import screening_tallies

UNSCREENED = "unscreened"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Bucket:
    round_id: str
    strategy_id: str
    agency: str
    decision: str | None  # None = unscreened


async def add(
    session: AsyncSession,
    bucket: Bucket,
    count: int,
    requested: Decimal = ZERO,
    recommended: Decimal = ZERO,
    approved: Decimal = ZERO,
) -> None:
    dialect_insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    statement = dialect_insert(screening_tallies).values(
        round_id=bucket.round_id,
        strategy_id=bucket.strategy_id,
        agency=bucket.agency,
        decision=bucket.decision or UNSCREENED,
        request_count=count,
        requested=requested,
        recommended=recommended,
        approved=approved,
    )
    t = screening_tallies.c
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[t.round_id, t.strategy_id, t.agency, t.decision],
            set_={
                "request_count": t.request_count + statement.excluded.request_count,
                "requested": t.requested + statement.excluded.requested,
                "recommended": t.recommended + statement.excluded.recommended,
                "approved": t.approved + statement.excluded.approved,
            },
        )
    )


async def move(
    session: AsyncSession,
    before: Bucket,
    after: Bucket,
    requested_before: Decimal,
    recommended_before: Decimal,
    requested_after: Decimal,
    recommended_after: Decimal,
) -> None:
    steps = [
        (before, -1, -requested_before, -recommended_before),
        (after, 1, requested_after, recommended_after),
    ]
    # Rows are locked in one order (by decision) so that two moves in opposite directions
    # (a request returned while another is revised) cannot deadlock.
    for bucket, count, requested, recommended in sorted(steps, key=lambda s: s[0].decision or UNSCREENED):
        await add(session, bucket, count, requested, recommended)
