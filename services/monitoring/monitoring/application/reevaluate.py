"""Re-evaluate every project as of a day (run daily), so a quarter falling due without a report
flags the project as not reporting. Each project in a transaction of its own (``handle``),
so one failure stops nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dgplan_shared.db.uow import UnitOfWork
from monitoring.adapters.repositories import repositories
from monitoring.application.announce_status import evaluate_and_announce
from monitoring.domain.evaluation import Thresholds


@dataclass(frozen=True)
class ListProjectIds:
    pass


@dataclass(frozen=True)
class Reevaluate:
    project_id: str
    as_of: date
    rules: Thresholds


async def project_ids(query: ListProjectIds, uow: UnitOfWork) -> list[str]:
    return await repositories(uow).read_models.project_ids()


async def handle(command: Reevaluate, uow: UnitOfWork) -> None:
    await evaluate_and_announce(uow, command.project_id, command.as_of, command.rules)

