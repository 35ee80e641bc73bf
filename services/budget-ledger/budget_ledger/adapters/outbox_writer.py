"""Many events to the outbox in one statement (a batch of 1,000 postings would otherwise cost
1,000 round trips); rows exactly as ``UnitOfWork.publish`` writes them."""

from __future__ import annotations

from collections.abc import Sequence

from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent, topic_for


async def publish_many(uow: UnitOfWork, events: Sequence[CloudEvent]) -> None:
    if not events:
        return
    now = utcnow()
    await uow.session.execute(
        uow.outbox_insert(),  # the unit of work's statement: it also wakes the relay (outbox_wakeup)
        [
            {
                "event_id": event.id,
                "topic": topic_for(event.type),
                "key": event.subject,
                "event_type": event.type,
                "envelope": event.to_json().decode(),
                "created_at": now,
            }
            for event in events
        ],
    )
    uow.published.extend(events)
