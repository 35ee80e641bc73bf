"""Rebuild every read model from the stored event history, through the live projection code."""

from __future__ import annotations

from sqlalchemy import select

from dgplan_shared.db.engine import Database
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent
from monitoring.db.tables import consumed_events, outbox
from monitoring.projections.read_models import apply_event, clear_read_models


async def rebuild_read_models(db: Database, batch: int = 1000) -> int:
    """One transaction: readers see the old read models or the rebuilt ones, never a half."""
    applied = 0
    async with UnitOfWork(db, "monitoring", outbox) as uow:
        session = uow.session
        await clear_read_models(session)
        last = 0
        while True:
            rows = (
                await session.execute(
                    select(consumed_events.c.seq, consumed_events.c.envelope)
                    .where(consumed_events.c.seq > last)
                    .order_by(consumed_events.c.seq)
                    .limit(batch)
                )
            ).all()
            if not rows:
                break
            for seq, envelope in rows:
                if await apply_event(session, CloudEvent.from_json(envelope)):
                    applied += 1
                last = seq
        await uow.commit()
    return applied
