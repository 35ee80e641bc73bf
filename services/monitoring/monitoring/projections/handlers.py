"""The consumer's handlers: keep the event history, project it, then re-evaluate the project touched.

History and projection happen in the inbox transaction, so the history holds exactly the events
whose effects are in the read models. The re-evaluation is a reaction, not a projection: the
rebuild command replays only the projection.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from dgplan_shared.consumer import EventHandlers
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent
from monitoring.db.tables import consumed_events
from monitoring.domain.evaluation import Thresholds
from monitoring.events import types as t
from monitoring.projections.read_models import apply_event
from monitoring.usecases.announce_status import evaluate_and_announce


@lru_cache(maxsize=1)
def _consumer_settings():  # type: ignore[no-untyped-def]
    # Built on first use (never at import): the consumer process configures through MONITORING_*.
    from monitoring.settings import Settings

    return Settings()


def consumer_rules() -> Thresholds:
    return Thresholds.from_settings(_consumer_settings())


def consumer_today() -> date:
    """An announced status is today's status (as the API's), whatever date a posting carries."""
    return _consumer_settings().fixed_today or utcnow().date()


async def record_consumed(uow: UnitOfWork, event: CloudEvent) -> None:
    await uow.session.execute(
        consumed_events.insert().values(
            event_id=event.id,
            source=event.source,
            event_type=event.type,
            subject=event.subject,
            envelope=event.to_json().decode(),
            consumed_at=utcnow(),
        )
    )


def register(handlers: EventHandlers) -> None:
    @handlers.on(*t.CONSUMED)
    async def on_registry_or_ledger_event(uow: UnitOfWork, event: CloudEvent) -> None:
        await record_consumed(uow, event)
        await apply_event(uow.session, event)
        project_id = event.data.get("project_id")
        if project_id is not None and event.type not in (t.PLAN_DRAFTED, t.PLAN_STRUCTURE_PUBLISHED):
            await evaluate_and_announce(uow, str(project_id), consumer_today(), consumer_rules())
