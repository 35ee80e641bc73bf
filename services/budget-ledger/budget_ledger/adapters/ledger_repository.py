"""The ledger's SQL: append-only entries plus per-stage balances, checked in the same transaction,
and the reads of entries, balances and framework figures.

Concurrency: each balance moves by one conditional ``UPDATE … SET x = x + d WHERE id = … AND
<every invariant holds on the new values>``. The UPDATE takes the row lock and re-reads the
latest committed row, so concurrent postings cannot overdraw; a posting touching several
appropriations updates them in id order, so two transactions always lock in the same order and
cannot deadlock. The entries are inserted *before* the balances move, and the API path moves the
balances last of all (just before commit), so a hot appropriation's row lock is held for one
statement and the commit, not for the whole transaction. On SQLite, ``BEGIN IMMEDIATE``
serializes writers anyway. The table's CHECK constraints repeat the invariants as a last line of
defence.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Integer, and_, column, func, insert, or_, select, update, values
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.adapters.tables import appropriations, ledger_entries
from budget_ledger.domain.postings import AppropriationKey, PostedEntry, Posting
from budget_ledger.domain.stages import LIMITS, STAGES, InvariantViolation, check_balances
from dgplan_contracts.storage import Satang
from dgplan_shared.db.types import utcnow


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


async def _ids(session: AsyncSession, keys: Sequence[AppropriationKey]) -> dict[AppropriationKey, int]:
    c = appropriations.c
    rows = await session.execute(
        select(c.id, c.plan_id, c.strategy_id, c.project_id, c.fiscal_year, c.expense_category).where(_key_filter(keys))
    )
    return {AppropriationKey(r[1], r[2], r[3], r[4], r[5]): r[0] for r in rows}


async def appropriation_ids(
    session: AsyncSession, keys: Sequence[AppropriationKey], agencies: dict[AppropriationKey, str | None] | None = None
) -> dict[AppropriationKey, int]:
    """Ids of the appropriations, creating missing ones (no locks taken on existing rows)."""
    keys = sorted(set(keys))
    found = await _ids(session, keys)
    missing = [k for k in keys if k not in found]
    if missing:
        dialect_insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        now = utcnow()
        await session.execute(
            dialect_insert(appropriations)
            .values([{**k.as_dict(), "agency": (agencies or {}).get(k), "updated_at": now} for k in missing])
            .on_conflict_do_nothing()
        )
        found = await _ids(session, keys)
    return found


def _invariants_hold(new: dict[str, object]):  # type: ignore[no-untyped-def]
    """The SQL form of ``check_balances`` on the balances after the update."""
    conditions = [new[s] >= 0 for s in STAGES]
    for lower, upper, _slug, _message in LIMITS:
        total = new[lower[0]]
        for s in lower[1:]:
            total = total + new[s]
        conditions.append(total <= new[upper])
    return and_(*conditions)


async def _explain_refusal(session: AsyncSession, key: AppropriationKey, appropriation_id: int, deltas: dict[str, Decimal]) -> InvariantViolation:
    row = (await session.execute(select(appropriations).where(appropriations.c.id == appropriation_id))).mappings().one()
    after = {s: row[s] + deltas.get(s, Decimal(0)) for s in STAGES}
    try:
        check_balances(after)
        violation = InvariantViolation("concurrent-change", "the balance changed while posting", "", Decimal(0))
    except InvariantViolation as exc:
        violation = exc
    return violation.at(key.as_dict())


@dataclass
class BalanceMoves:
    """Balance changes still to apply; ``apply`` must run before the transaction commits."""

    session: AsyncSession
    moves: list[tuple[int, AppropriationKey, dict[str, Decimal], int]]

    async def apply(self) -> None:
        if not self.moves:
            return
        session = self.session
        if len(self.moves) > 1 and session.bind.dialect.name == "postgresql":
            await self._apply_together(session)
            return
        now = utcnow()
        c = appropriations.c
        for appropriation_id, key, deltas, count in sorted(self.moves, key=lambda m: m[0]):  # id order: no deadlock
            new = {s: (c[s] + deltas[s] if s in deltas else c[s]) for s in STAGES}
            result = await session.execute(
                update(appropriations)
                .where(c.id == appropriation_id, _invariants_hold(new))
                .values(**{s: c[s] + d for s, d in deltas.items()}, entry_count=c.entry_count + count, updated_at=now)
            )
            if result.rowcount != 1:
                raise await _explain_refusal(session, key, appropriation_id, deltas)

    async def _apply_together(self, session: AsyncSession) -> None:
        """Many appropriations in two statements, whatever their number: lock them in id order
        (FOR NO KEY UPDATE, which does not wait for other transactions' entry inserts), then one
        UPDATE … FROM (VALUES …) that moves every balance whose invariants still hold."""
        c = appropriations.c
        ordered = sorted(self.moves, key=lambda m: m[0])
        await session.execute(
            select(c.id).where(c.id.in_([m[0] for m in ordered])).order_by(c.id).with_for_update(key_share=True)
        )
        moves = values(
            column("id", BigInteger),
            *(column(f"d_{s}", BigInteger) for s in STAGES),
            column("n", Integer),
            name="moves",
        ).data([(m[0], *(int(m[2].get(s, 0) * 100) for s in STAGES), m[3]) for m in ordered])
        new = {s: c[s] + moves.c[f"d_{s}"] for s in STAGES}
        updated = set(
            (
                await session.execute(
                    update(appropriations)
                    .where(c.id == moves.c.id, _invariants_hold(new))
                    .values(**new, entry_count=c.entry_count + moves.c.n, updated_at=utcnow())
                    .returning(c.id)
                )
            ).scalars()
        )
        for appropriation_id, key, deltas, _count in ordered:
            if appropriation_id not in updated:
                raise await _explain_refusal(session, key, appropriation_id, deltas)


async def post(
    session: AsyncSession, postings: Sequence[Posting], posted_by: str, *, defer_balances: bool = False
) -> tuple[list[PostedEntry], BalanceMoves] | list[PostedEntry]:
    """Append the entries and move the balances, or raise InvariantViolation.

    With ``defer_balances`` the balances are not moved yet: the caller gets ``(entries, moves)``
    and must ``await moves.apply()`` as the last statement before commit. The caller owns
    the transaction (a unit of work) and rolls it back on any exception.
    """
    for p in postings:
        if p.stage not in STAGES:
            raise ValueError(f"unknown stage {p.stage}")
    postings = [p for p in postings if p.amount != 0]
    if not postings:
        return ([], BalanceMoves(session, [])) if defer_balances else []
    ids = await appropriation_ids(session, [p.key for p in postings], {p.key: p.agency for p in postings})
    deltas: dict[AppropriationKey, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    counts: dict[AppropriationKey, int] = defaultdict(int)
    for p in postings:
        deltas[p.key][p.stage] += p.amount
        counts[p.key] += 1
    now = utcnow()
    entries = [PostedEntry(str(uuid.uuid4()), None, p, posted_by, now) for p in postings]
    await session.execute(
        insert(ledger_entries),
        [
            {
                "entry_id": e.entry_id,
                "appropriation_id": ids[e.posting.key],
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
    moves = BalanceMoves(
        session,
        [(ids[k], k, {s: d for s, d in v.items() if d}, counts[k]) for k, v in deltas.items()]
    )
    if defer_balances:
        return entries, moves
    await moves.apply()
    return entries


GROUP_COLUMNS = {
    "plan": "plan_id",
    "strategy": "strategy_id",
    "project": "project_id",
    "fiscal_year": "fiscal_year",
    "expense_category": "expense_category",
    "agency": "agency",
}
BALANCE_STAGES = tuple(s for s in STAGES if s != "framework")


class LedgerRepository:
    """Every statement on ``appropriations`` and ``ledger_entries`` of one unit of work."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def post(self, postings: Sequence[Posting], posted_by: str) -> list[PostedEntry]:
        """Append the entries and move the balances now, or raise InvariantViolation."""
        return await post(self.session, postings, posted_by)  # type: ignore[return-value]

    async def post_balances_last(self, postings: Sequence[Posting], posted_by: str) -> tuple[list[PostedEntry], BalanceMoves]:
        """Append the entries; the balances move when the caller awaits ``moves.apply()`` (last, before commit)."""
        return await post(self.session, postings, posted_by, defer_balances=True)  # type: ignore[return-value]

    async def framework_figures(self, plan_id: str) -> dict[AppropriationKey, Decimal]:
        """The framework balance of the plan's plan- and strategy-level appropriations."""
        c = appropriations.c
        rows = await self.session.execute(
            select(c.plan_id, c.strategy_id, c.project_id, c.fiscal_year, c.expense_category, c.framework).where(
                c.plan_id == plan_id, c.project_id == "", c.expense_category == ""
            )
        )
        return {AppropriationKey(r[0], r[1], r[2], r[3], r[4]): r[5] for r in rows}

    async def entries(
        self, filters: dict[str, Any], limit: int, after: int | None, descending: bool
    ) -> list[Any]:
        """Up to ``limit + 1`` entries after sequence number ``after`` (keyset order)."""
        e = ledger_entries.c
        query = select(ledger_entries)
        for name, value in filters.items():
            if value is not None:
                query = query.where(getattr(e, name) == value)
        if after is not None:
            query = query.where(e.seq < after if descending else e.seq > after)
        query = query.order_by(e.seq.desc() if descending else e.seq).limit(limit + 1)
        return list((await self.session.execute(query)).mappings().all())

    async def entry(self, entry_id: str) -> Any | None:
        query = select(ledger_entries).where(ledger_entries.c.entry_id == entry_id)
        return (await self.session.execute(query)).mappings().first()

    async def balances(
        self, group_by: list[str], filters: dict[str, Any], offset: int, limit: int
    ) -> list[Any]:
        """Sums per stage of project appropriations (framework rows are in the reconciliation)."""
        a = appropriations.c
        columns = [getattr(a, GROUP_COLUMNS[level]) for level in group_by]
        sums = [func.coalesce(func.sum(getattr(a, s)), 0).cast(Satang()).label(s) for s in BALANCE_STAGES]
        query = select(*columns, *sums, func.count().label("appropriations")).where(a.project_id != "")
        for name, value in filters.items():
            if value is not None:
                query = query.where(getattr(a, name) == value)
        if columns:
            query = query.group_by(*columns).order_by(*columns)
        query = query.offset(offset).limit(limit + 1)
        return list((await self.session.execute(query)).mappings().all())
