"""The screening rounds' SQL: rounds, requests and their history, and the running tallies that
screening status reads (kept in the same transaction as every request and decision)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.adapters.tables import request_history, screening_requests, screening_rounds, screening_tallies
from budget_ledger.domain.screening import UNSCREENED, Bucket
from dgplan_contracts.money import money_str
from dgplan_contracts.storage import Satang
from dgplan_shared.db.types import utcnow
from dgplan_shared.errors import not_found

ZERO = Decimal("0.00")

REQUEST_SORTS = {
    "rank": lambda r: (r.rank.is_(None), r.rank, r.request_id),
    "submitted": lambda r: (r.submitted_at, r.request_id),
    "requested_total": lambda r: (r.requested_total, r.request_id),
    "-requested_total": lambda r: (r.requested_total.desc(), r.request_id),
    "project": lambda r: (r.project_id,),
}
GROUP_COLUMNS = {"strategies": "strategy_id", "agencies": "agency", "projects": "project_id"}


class RoundExists(Exception):
    """The database refused a second round for the same plan and fiscal year."""


def _amounts(text: str | None) -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in orjson.loads(text).items()} if text else {}


def _amounts_text(amounts: dict[str, Decimal]) -> str:
    return orjson.dumps({k: money_str(v) for k, v in sorted(amounts.items())}).decode()


def _request(row: Any) -> dict[str, Any]:
    """A request row with its JSON columns read back into values."""
    out = dict(row)
    out["amounts"] = _amounts(row["amounts"])
    out["recommended_amounts"] = _amounts(row["recommended_amounts"]) if row["recommended_amounts"] else None
    out["alignment"] = orjson.loads(row["alignment"]) if row["alignment"] else None
    if "decision_meeting" in out:
        out["decision_meeting"] = orjson.loads(row["decision_meeting"]) if row["decision_meeting"] else None
    return out


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


class ScreeningRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- rounds -----------------------------------------------------------------------------

    async def round(self, round_id: str, *, lock: bool = False) -> Any:
        query = select(screening_rounds).where(screening_rounds.c.round_id == round_id)
        if lock:
            query = query.with_for_update()
        row = (await self.session.execute(query)).mappings().first()
        if row is None:
            raise not_found("screening round", round_id)
        return row

    async def round_of(self, plan_id: str, fiscal_year: int) -> Any | None:
        c = screening_rounds.c
        query = select(screening_rounds).where(c.plan_id == plan_id, c.fiscal_year == fiscal_year)
        return (await self.session.execute(query)).mappings().first()

    async def add_round(self, values: dict[str, Any]) -> None:
        try:
            await self.session.execute(screening_rounds.insert().values(**values))
        except IntegrityError:  # the unique (plan, fiscal year) index: a concurrent opening won
            raise RoundExists() from None

    async def change_round(self, round_id: str, **values: Any) -> None:
        c = screening_rounds.c
        await self.session.execute(
            update(screening_rounds).where(c.round_id == round_id).values(**values, version=c.version + 1)
        )

    async def rounds(self, filters: dict[str, Any], offset: int, limit: int) -> list[Any]:
        c = screening_rounds.c
        query = select(screening_rounds)
        for name, value in filters.items():
            if value is not None:
                query = query.where(getattr(c, name) == value)
        query = query.order_by(c.fiscal_year.desc(), c.opened_at, c.round_id).offset(offset).limit(limit + 1)
        return list((await self.session.execute(query)).mappings().all())

    # --- requests ---------------------------------------------------------------------------

    async def request(self, request_id: str, *, lock: bool = False) -> dict[str, Any]:
        query = select(screening_requests).where(screening_requests.c.request_id == request_id)
        if lock:
            query = query.with_for_update()
        row = (await self.session.execute(query)).mappings().first()
        if row is None:
            raise not_found("screening request", request_id)
        return _request(row)

    async def request_id_of(self, round_id: str, project_id: str) -> str | None:
        r = screening_requests.c
        return await self.session.scalar(select(r.request_id).where(r.round_id == round_id, r.project_id == project_id))

    async def add_request(self, values: dict[str, Any]) -> None:
        values = {**values, "amounts": _amounts_text(values["amounts"])}
        if values.get("alignment") is not None:
            values["alignment"] = orjson.dumps(values["alignment"]).decode() if values["alignment"] else None
        await self.session.execute(screening_requests.insert().values(**values))

    async def change_request(self, request_id: str, **values: Any) -> None:
        for name in ("amounts", "recommended_amounts"):
            if name in values and values[name] is not None:
                values[name] = _amounts_text(values[name]) if values[name] else None
        if values.get("decision_meeting") is not None:
            values["decision_meeting"] = orjson.dumps(values["decision_meeting"]).decode()
        r = screening_requests.c
        await self.session.execute(
            update(screening_requests).where(r.request_id == request_id).values(**values, version=r.version + 1)
        )

    async def recommended_requests(self, round_id: str) -> list[dict[str, Any]]:
        r = screening_requests.c
        query = select(screening_requests).where(r.round_id == round_id, r.recommended_total > 0).order_by(r.request_id)
        return [_request(row) for row in (await self.session.execute(query)).mappings().all()]

    async def package_figures(self, round_id: str) -> tuple[int, int, Decimal]:
        """(unscreened requests, all requests, recommended total) of a round."""
        r = screening_requests.c
        unscreened, count, recommended = (
            await self.session.execute(
                select(
                    func.count().filter(r.decision.is_(None)),
                    func.count(),
                    func.coalesce(func.sum(r.recommended_total), 0).cast(Satang()),
                ).where(r.round_id == round_id)
            )
        ).one()
        return int(unscreened or 0), int(count or 0), Decimal(recommended or 0)

    async def requests(
        self, round_id: str, filters: dict[str, Any], sort: str, offset: int, limit: int
    ) -> list[dict[str, Any]]:
        r = screening_requests.c
        query = select(screening_requests).where(r.round_id == round_id)
        for name, value in filters.items():
            if value is None:
                continue
            if name == "decision" and value == UNSCREENED:
                query = query.where(r.decision.is_(None))
            else:
                query = query.where(getattr(r, name) == value)
        query = query.order_by(*REQUEST_SORTS[sort](r)).offset(offset).limit(limit + 1)
        return [_request(row) for row in (await self.session.execute(query)).mappings().all()]

    # --- history ----------------------------------------------------------------------------

    async def add_history(
        self,
        request_id: str,
        action: str,
        actor: str,
        *,
        decision: str | None = None,
        amount: Decimal | None = None,
        rank: int | None = None,
        reason: str | None = None,
        meeting: dict[str, Any] | None = None,
    ) -> None:
        await self.session.execute(
            request_history.insert().values(
                request_id=request_id, action=action, decision=decision, amount=amount, rank=rank, reason=reason,
                meeting=orjson.dumps(meeting).decode() if meeting else None, actor=actor, at=utcnow(),
            )
        )

    async def history(self, request_id: str) -> list[Any]:
        h = request_history.c
        query = select(request_history).where(h.request_id == request_id).order_by(h.seq)
        rows = (await self.session.execute(query)).mappings().all()
        return [{**r, "meeting": orjson.loads(r["meeting"]) if r["meeting"] else None} for r in rows]

    # --- tallies ----------------------------------------------------------------------------

    async def tally(
        self, bucket: Bucket, count: int, requested: Decimal = ZERO, recommended: Decimal = ZERO, approved: Decimal = ZERO
    ) -> None:
        dialect_insert = pg_insert if self.session.bind.dialect.name == "postgresql" else sqlite_insert
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
        await self.session.execute(
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

    async def move_tally(
        self,
        before: Bucket,
        after: Bucket,
        requested_before: Decimal,
        recommended_before: Decimal,
        requested_after: Decimal,
        recommended_after: Decimal,
    ) -> None:
        steps = [(before, -1, -requested_before, -recommended_before), (after, 1, requested_after, recommended_after)]
        # Rows are locked in one order (by decision) so that two moves in opposite directions
        # (a request returned while another is revised) cannot deadlock.
        for bucket, count, requested, recommended in sorted(steps, key=lambda s: s[0].decision or UNSCREENED):
            await self.tally(bucket, count, requested, recommended)

    # --- status -----------------------------------------------------------------------------

    async def status_rows(self, round_id: str, filters: dict[str, str | None]) -> list[tuple[Any, ...]]:
        """(decision, count, requested, recommended, approved) of a round, filtered."""
        if filters.get("project_id") is not None:  # one project: its request(s), read directly
            r = screening_requests.c
            query = select(*_request_aggregates()).where(r.round_id == round_id).group_by(r.decision)
            for column, value in filters.items():
                if value is not None:
                    query = query.where(getattr(r, column) == value)
        else:  # the running totals: a few rows per strategy and agency, whatever the round's size
            t = screening_tallies.c
            query = select(*_tally_aggregates()).where(t.round_id == round_id).group_by(t.decision)
            for column in ("strategy_id", "agency"):
                if filters.get(column) is not None:
                    query = query.where(getattr(t, column) == filters[column])
        return [tuple(row) for row in (await self.session.execute(query)).all()]

    async def tally_rows_by(self, round_id: str, dimension: str) -> list[tuple[Any, ...]]:
        """(group, decision, count, requested, recommended, approved), by strategy or agency."""
        t = screening_tallies.c
        column = getattr(t, GROUP_COLUMNS[dimension])
        query = (
            select(column, *_tally_aggregates()).where(t.round_id == round_id).group_by(column, t.decision).order_by(column)
        )
        return [tuple(row) for row in (await self.session.execute(query)).all()]

    async def project_rows(self, round_id: str, offset: int, limit: int) -> list[tuple[Any, ...]]:
        """(decision, count, requested, recommended, approved, project) in project order, paged."""
        r = screening_requests.c
        query = (
            select(*_request_aggregates(), r.project_id)
            .where(r.round_id == round_id)
            .group_by(r.project_id, r.decision)
            .order_by(r.project_id)
            .offset(offset)
            .limit(limit + 1)
        )
        return [tuple(row) for row in (await self.session.execute(query)).all()]
