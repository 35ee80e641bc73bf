"""The consumer's handler: keep the event history, project it, then re-evaluate the project touched.

History and projection happen in the inbox transaction, so the history holds exactly the events
whose effects are in the read models. The re-evaluation is a reaction, not a projection: the
rebuild replays only the projection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent
from monitoring.adapters.repositories import repositories
from monitoring.application.announce_status import evaluate_and_announce
from monitoring.application.project_event import project_event
from monitoring.domain.evaluation import Thresholds
from monitoring.events import types as t


@dataclass(frozen=True)
class EventConsumed:
    event: CloudEvent
    today: date  # an announced status is today's status (as the API's), whatever date a posting carries
    rules: Thresholds


async def handle(command: EventConsumed, uow: UnitOfWork) -> None:
    repos = repositories(uow)
    event = command.event
    await repos.history.record(event)
    await project_event(repos.projection, event)
    project_id = event.data.get("project_id")
    if project_id is not None and event.type not in (t.PLAN_DRAFTED, t.PLAN_STRUCTURE_PUBLISHED):
        await evaluate_and_announce(uow, str(project_id), command.today, command.rules)


def consumer_handler(clock: Callable[[], tuple[date, Thresholds]]):  # type: ignore[no-untyped-def]
    """The ``(uow, event)`` handler the inbox consumer calls; ``clock`` gives today and the rules."""

    async def on_event(uow: UnitOfWork, event: CloudEvent) -> None:
        today, rules = clock()
        await handle(EventConsumed(event, today, rules), uow)

    return on_event
