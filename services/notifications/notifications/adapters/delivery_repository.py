"""SQL for deliveries (the durable retry schedule) and their attempts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.adapters.tables import attempts, deliveries, endpoints

PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"


@dataclass(frozen=True)
class NewDelivery:
    id: str
    endpoint_id: str
    event_id: str
    event_type: str
    event_time: datetime
    body: str


@dataclass(frozen=True)
class Claimed:
    id: str
    endpoint_id: str
    url: str
    body: str
    attempts: int
    lease_until: datetime


@dataclass(frozen=True)
class Attempt:
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None


@dataclass(frozen=True)
class Delivery:
    id: str
    endpoint_id: str
    event_id: str
    event_type: str
    event_time: datetime
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    created_at: datetime
    completed_at: datetime | None
    history: list[Attempt]


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._postgres = session.bind.dialect.name == "postgresql"

    async def add(self, delivery: NewDelivery, at: datetime) -> bool:
        """Schedule a delivery for now; False if this endpoint already has one for this event."""
        dialect_insert = pg_insert if self._postgres else sqlite_insert
        result = await self.session.execute(
            dialect_insert(deliveries).values(
                id=delivery.id, endpoint_id=delivery.endpoint_id, event_id=delivery.event_id,
                event_type=delivery.event_type, event_time=delivery.event_time, body=delivery.body,
                status=PENDING, attempts=0, next_attempt_at=at, lease_until=None, last_status_code=None,
                created_at=at, completed_at=None,
            ).on_conflict_do_nothing(index_elements=["endpoint_id", "event_id"])
        )
        return result.rowcount == 1

    async def claim_due(self, now: datetime, lease_until: datetime, limit: int, per_endpoint: int) -> list[Claimed]:
        """Reserve up to ``limit`` due deliveries to active endpoints, at most ``per_endpoint`` in
        flight per endpoint (counting those other daemons hold), until ``lease_until``."""
        d, e = deliveries.c, endpoints.c
        in_flight = dict((await self.session.execute(
            select(d.endpoint_id, func.count()).where(d.status == PENDING, d.lease_until > now).group_by(d.endpoint_id)
        )).all())
        stmt = (
            select(d.id, d.endpoint_id, e.url, d.body, d.attempts)
            .join(endpoints, e.id == d.endpoint_id)
            .where(d.status == PENDING, d.next_attempt_at <= now,
                   or_(d.lease_until.is_(None), d.lease_until <= now), e.status == "active", e.deleted_at.is_(None))
            .order_by(d.next_attempt_at, d.id)
            .limit(limit)
        )
        if self._postgres:
            stmt = stmt.with_for_update(of=deliveries, skip_locked=True)
        chosen: list[Claimed] = []
        for row in (await self.session.execute(stmt)).all():
            if in_flight.get(row.endpoint_id, 0) >= per_endpoint:
                continue
            in_flight[row.endpoint_id] = in_flight.get(row.endpoint_id, 0) + 1
            chosen.append(Claimed(row.id, row.endpoint_id, row.url, row.body, row.attempts, lease_until))
        if chosen:
            await self.session.execute(update(deliveries).where(d.id.in_([c.id for c in chosen]))
                                       .values(lease_until=lease_until))
        return chosen

    async def next_due(self) -> datetime | None:
        """When the earliest pending delivery comes due: its next attempt, or the end of its lease
        if a daemon holds it (a crashed daemon's claim comes due when its lease runs out)."""
        d = deliveries.c
        e = endpoints.c
        due = case((and_(d.lease_until.is_not(None), d.lease_until > d.next_attempt_at), d.lease_until),
                   else_=d.next_attempt_at)
        # A disabled endpoint's deliveries wait for it to be enabled (which wakes the daemon).
        return await self.session.scalar(
            select(func.min(due)).join(endpoints, e.id == d.endpoint_id)
            .where(d.status == PENDING, e.status == "active", e.deleted_at.is_(None)))

    async def record_attempt(self, delivery_id: str, attempt: Attempt) -> None:
        await self.session.execute(insert(attempts).values(
            delivery_id=delivery_id, attempted_at=attempt.attempted_at, status_code=attempt.status_code,
            latency_ms=attempt.latency_ms, error=attempt.error))

    def _held(self, delivery_id: str, lease: datetime):  # type: ignore[no-untyped-def]
        # Only the claim that sent it may settle it: a replay (or a takeover after the lease ran
        # out) meanwhile has rescheduled the row, and must not be undone by this late answer.
        return update(deliveries).where(deliveries.c.id == delivery_id, deliveries.c.lease_until == lease)

    async def finish(self, delivery_id: str, lease: datetime, status: str, attempts_made: int,
                     status_code: int | None, at: datetime) -> bool:
        result = await self.session.execute(self._held(delivery_id, lease).values(
            status=status, attempts=attempts_made, last_status_code=status_code, lease_until=None,
            next_attempt_at=None, completed_at=at))
        return result.rowcount == 1

    async def retry_at(self, delivery_id: str, lease: datetime, attempts_made: int, status_code: int | None,
                       when: datetime) -> bool:
        result = await self.session.execute(self._held(delivery_id, lease).values(
            attempts=attempts_made, last_status_code=status_code, lease_until=None, next_attempt_at=when))
        return result.rowcount == 1

    async def reschedule(self, endpoint_id: str, now: datetime, *, delivery_id: str | None = None,
                         since: datetime | None = None) -> int:
        """Send again from the start of the schedule, keeping each delivery's id (the webhook-id)."""
        d = deliveries.c
        stmt = update(deliveries).where(d.endpoint_id == endpoint_id)
        if delivery_id is not None:
            stmt = stmt.where(d.id == delivery_id)
        if since is not None:
            stmt = stmt.where(d.created_at >= since)
        result = await self.session.execute(stmt.values(
            status=PENDING, attempts=0, next_attempt_at=now, lease_until=None, completed_at=None))
        return int(result.rowcount or 0)

    async def get(self, endpoint_id: str, delivery_id: str) -> Delivery | None:
        found = await self._load(and_(deliveries.c.endpoint_id == endpoint_id, deliveries.c.id == delivery_id), 1)
        return found[0] if found else None

    async def page(self, endpoint_id: str, status: str | None, after: tuple[str, str] | None,
                   limit: int) -> list[Delivery]:
        """Newest first."""
        d = deliveries.c
        where: list[Any] = [d.endpoint_id == endpoint_id]
        if status is not None:
            where.append(d.status == status)
        if after is not None:
            created, ident = datetime.fromisoformat(after[0]), after[1]
            where.append(or_(d.created_at < created, and_(d.created_at == created, d.id < ident)))
        return await self._load(and_(*where), limit)

    async def _load(self, where: Any, limit: int) -> list[Delivery]:
        d, a = deliveries.c, attempts.c
        rows = (await self.session.execute(
            select(deliveries).where(where).order_by(d.created_at.desc(), d.id.desc()).limit(limit))).all()
        history: dict[str, list[Attempt]] = {}
        if rows:
            for att in (await self.session.execute(
                select(attempts).where(a.delivery_id.in_([r.id for r in rows])).order_by(a.id)
            )).all():
                history.setdefault(att.delivery_id, []).append(
                    Attempt(att.attempted_at, att.status_code, att.latency_ms, att.error))
        return [
            Delivery(r.id, r.endpoint_id, r.event_id, r.event_type, r.event_time, r.status, r.attempts,
                     r.next_attempt_at, r.last_status_code, r.created_at, r.completed_at, history.get(r.id, []))
            for r in rows
        ]
