"""Post entries: append-only rows plus per-stage balances, checked and locked in one transaction.

Concurrency: every appropriation touched is locked with ``SELECT … FOR UPDATE`` ordered by id,
so two transactions posting to overlapping appropriations always lock in the same order and
cannot deadlock; the balance read under the lock is the latest committed one, so concurrent
postings cannot overdraw. On SQLite, ``BEGIN IMMEDIATE`` serializes writers anyway. The table's
CHECK constraints repeat the invariants as a last line of defence.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.db.tables import appropriations, ledger_entries
from budget_ledger.domain.stages import STAGES, InvariantViolation, check_balances
from dgplan_shared.db.types import utcnow


@dataclass(frozen=True, order=True)
class AppropriationKey:
    """(plan, strategy, project, fiscal year, expense category); "" / 0 where a level is not named."""

    plan_id: str
    strategy_id: str = ""
    project_id: str = ""
    fiscal_year: int = 0
    expense_category: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "plan_id": self.plan_id,
            "strategy_id": self.strategy_id,
            "project_id": self.project_id,
            "fiscal_year": self.fiscal_year,
            "expense_category": self.expense_category,
        }


@dataclass(frozen=True)
class Posting:
    key: AppropriationKey
    stage: str
    amount: Decimal  # signed: reversals and framework adjustments are negative entries
    agency: str | None = None
    round_id: str | None = None
    request_id: str | None = None
    reference: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class PostedEntry:
    entry_id: str
    seq: int | None
    posting: Posting
    posted_by: str
    posted_at: datetime

    def to_json(self) -> dict[str, object]:
        from budget_ledger.domain.money import money_str

        p = self.posting
        return {
            "entry_id": self.entry_id,
            **p.key.as_dict(),
            "stage": p.stage,
            "amount": money_str(p.amount),
            "agency": p.agency,
            "round_id": p.round_id,
            "request_id": p.request_id,
            "reference": p.reference,
            "note": p.note,
            "posted_by": self.posted_by,
            "posted_at": self.posted_at.isoformat(),
        }


@dataclass
class LockedAppropriation:
    id: int
    key: AppropriationKey
    balances: dict[str, Decimal] = field(default_factory=dict)


def _key_filter(keys: Sequence[AppropriationKey]):  # type: ignore[no-untyped-def]
    c = appropriations.c
    return or_(
        *(
            and_(
                c.plan_id == k.plan_id,
                c.strategy_id == k.strategy_id,
                c.project_id == k.project_id,
                c.fiscal_year == k.fiscal_year,
                c.expense_category == k.expense_category,
            )
            for k in keys
        )
    )


async def _select_locked(session: AsyncSession, keys: Sequence[AppropriationKey]) -> dict[AppropriationKey, LockedAppropriation]:
    c = appropriations.c
    rows = (
        await session.execute(
            select(appropriations).where(_key_filter(keys)).order_by(c.id).with_for_update()
        )
    ).mappings()
    out: dict[AppropriationKey, LockedAppropriation] = {}
    for row in rows:
        key = AppropriationKey(row["plan_id"], row["strategy_id"], row["project_id"], row["fiscal_year"], row["expense_category"])
        out[key] = LockedAppropriation(row["id"], key, {s: row[s] for s in STAGES})
    return out


async def lock_appropriations(
    session: AsyncSession, keys: Sequence[AppropriationKey], agencies: dict[AppropriationKey, str | None] | None = None
) -> dict[AppropriationKey, LockedAppropriation]:
    """Create missing appropriations, then lock all of them in id order."""
    keys = sorted(set(keys))
    locked = await _select_locked(session, keys)
    missing = [k for k in keys if k not in locked]
    if missing:
        dialect_insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        now = utcnow()
        await session.execute(
            dialect_insert(appropriations)
            .values([{**k.as_dict(), "agency": (agencies or {}).get(k), "updated_at": now} for k in missing])
            .on_conflict_do_nothing()
        )
        locked = await _select_locked(session, keys)
    return locked


async def post(session: AsyncSession, postings: Sequence[Posting], posted_by: str) -> list[PostedEntry]:
    """Append the entries and move the balances, or raise InvariantViolation and change nothing.

    The caller owns the transaction (a unit of work) and rolls it back on any exception.
    """
    if not postings:
        return []
    agencies = {p.key: p.agency for p in postings}
    locked = await lock_appropriations(session, [p.key for p in postings], agencies)
    deltas: dict[AppropriationKey, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for p in postings:
        if p.stage not in STAGES:
            raise ValueError(f"unknown stage {p.stage}")
        deltas[p.key][p.stage] += p.amount
    now = utcnow()
    for key, stage_deltas in deltas.items():
        row = locked[key]
        after = dict(row.balances)
        for stage, delta in stage_deltas.items():
            after[stage] = after.get(stage, Decimal(0)) + delta
        try:
            check_balances(after)
        except InvariantViolation as violation:
            violation.key = key  # type: ignore[attr-defined]
            raise
        changed = {s: after[s] for s in stage_deltas}
        counts = sum(1 for p in postings if p.key == key)
        await session.execute(
            update(appropriations)
            .where(appropriations.c.id == row.id)
            .values(**changed, entry_count=appropriations.c.entry_count + counts, updated_at=now)
        )
        row.balances = after
    entries = [PostedEntry(str(uuid.uuid4()), None, p, posted_by, now) for p in postings if p.amount != 0]
    if entries:
        await session.execute(
            insert(ledger_entries),
            [
                {
                    "entry_id": e.entry_id,
                    "appropriation_id": locked[e.posting.key].id,
                    "stage": e.posting.stage,
                    "amount": e.posting.amount,
                    **e.posting.key.as_dict(),
                    "agency": e.posting.agency,
                    "round_id": e.posting.round_id,
                    "request_id": e.posting.request_id,
                    "reference": e.posting.reference,
                    "note": e.posting.note,
                    "posted_by": posted_by,
                    "posted_at": now,
                }
                for e in entries
            ],
        )
    return entries
