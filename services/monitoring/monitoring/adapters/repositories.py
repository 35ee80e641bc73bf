"""The repositories a use case reaches through its unit of work.

The shared ``UnitOfWork`` knows a session and the outbox only; monitoring's use cases ask
:func:`repositories` for theirs. A fake unit of work (tests) carries in-memory ones as
``repositories``; a real one gets SQL repositories over its session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from monitoring.adapters.event_history_repository import EventHistoryRepository
from monitoring.adapters.indicator_repository import IndicatorRepository
from monitoring.adapters.progress_report_repository import ProgressReportRepository
from monitoring.adapters.project_status_repository import ProjectStatusRepository
from monitoring.adapters.read_model_projection import ReadModelProjection
from monitoring.adapters.read_model_repository import ReadModelRepository


@dataclass
class Repositories:
    indicators: IndicatorRepository
    reports: ProgressReportRepository
    statuses: ProjectStatusRepository
    read_models: ReadModelRepository
    projection: ReadModelProjection
    history: EventHistoryRepository


class HasSession(Protocol):
    @property
    def session(self) -> Any: ...


def repositories(uow: HasSession) -> Repositories:
    held = getattr(uow, "repositories", None)
    if held is not None:
        return held  # type: ignore[no-any-return]
    session = uow.session
    return Repositories(
        indicators=IndicatorRepository(session),
        reports=ProgressReportRepository(session),
        statuses=ProjectStatusRepository(session),
        read_models=ReadModelRepository(session),
        projection=ReadModelProjection(session),
        history=EventHistoryRepository(session),
    )
