"""The history of every consumed event (``consumed_events``), the source a rebuild replays."""

from __future__ import annotations

from collections.abc import AsyncIterator

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.db.types import utcnow
from dgplan_shared.events import CloudEvent
from monitoring.adapters.tables import consumed_events


class EventHistoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, event: CloudEvent) -> None:
        await self.session.execute(consumed_events.insert().values(
            event_id=event.id, source=event.source, event_type=event.type, subject=event.subject,
            envelope=event.to_json().decode(), consumed_at=utcnow(),
        ))

    async def in_order(self, batch: int = 1000) -> AsyncIterator[CloudEvent]:
        """Every consumed event in the order it was consumed, read in batches."""
        last = 0
        while True:
            rows = (await self.session.execute(
                select(consumed_events.c.seq, consumed_events.c.envelope)
                .where(consumed_events.c.seq > last).order_by(consumed_events.c.seq).limit(batch))).all()
            if not rows:
                return
            for seq, envelope in rows:
                last = seq
                yield CloudEvent.from_json(envelope)
