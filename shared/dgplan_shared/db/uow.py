"""Unit of work: one transaction, committed explicitly by the use case, with its events in the outbox."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from sqlalchemy import Insert, Table, func, insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.db.engine import Database
from dgplan_shared.db.types import utcnow
from dgplan_shared.events import CloudEvent, topic_for
from dgplan_shared.outbox_wakeup import channel_for, committed


class UnitOfWork:
    """``async with uow: ...; await uow.commit()`` — leaving the block without commit rolls back.

    ``publish`` writes the event to the outbox in the same transaction as the state change, so
    the event exists if and only if the change does.
    """

    def __init__(self, db: Database, service: str, outbox: Table) -> None:
        self._db = db
        self.service = service
        self._outbox = outbox
        self._session: AsyncSession | None = None
        self.published: list[CloudEvent] = []
        self._notifies = False  # an outbox INSERT of this transaction carries the relay's wake-up
        self._wakes: set[str] = set()  # other wake-up keys to raise at commit (outbox_wakeup)

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside 'async with'")
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._db.sessions()
        self.published = []
        self._notifies = False
        self._wakes = set()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session = self.session
        try:
            if session.in_transaction():
                await session.rollback()
        finally:
            await session.close()
            self._session = None

    def outbox_insert(self) -> Insert:
        """The INSERT into this service's outbox. On PostgreSQL it also ``RETURNING pg_notify``: the
        relay's wake-up rides on the statement that writes the row (no round trip of its own), and
        PostgreSQL delivers it only when the transaction commits (one per channel, however many rows)."""
        statement = insert(self._outbox)
        if self._db.is_postgres:
            statement = statement.returning(func.pg_notify(channel_for(self.service), ""))
            self._notifies = True
        return statement

    async def publish(self, event_type: str, subject: str, data: dict[str, Any]) -> CloudEvent:
        event = CloudEvent.new(self.service, event_type, subject, data)
        await self.session.execute(
            self.outbox_insert().values(
                event_id=event.id,
                topic=topic_for(event_type),
                key=event.subject,
                event_type=event.type,
                envelope=event.to_json().decode(),
                created_at=utcnow(),
            )
        )
        self.published.append(event)
        return event

    def wake(self, key: str) -> None:
        """Wake ``key``'s waiters when (and only if) this transaction commits: a daemon working a
        schedule this transaction adds to (e.g. ``notifications.deliveries``)."""
        self._wakes.add(key)

    async def commit(self) -> None:
        signals = sorted(self._wakes)
        if self.published and not self._notifies:
            signals.append(self.service)  # events written without outbox_insert(): tell the relays too
        if self._db.is_postgres:
            for key in signals:
                # NOTIFY is transactional: delivered at commit, dropped with a rollback.
                await self.session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": channel_for(key)})
        await self.session.commit()
        if self.published:
            committed(self.service)
        for key in self._wakes:
            committed(key)

    async def rollback(self) -> None:
        await self.session.rollback()
