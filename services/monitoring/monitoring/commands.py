"""Service commands beyond api/relay/consumer/migrate."""

from __future__ import annotations

from sqlalchemy import select

from dgplan_shared.db.types import utcnow
from dgplan_shared.service import Runtime
from monitoring.db.tables import rm_projects
from monitoring.domain.evaluation import Thresholds
from monitoring.usecases.announce_status import evaluate_and_announce
from monitoring.usecases.rebuild_read_models import rebuild_read_models


async def rebuild_command(runtime: Runtime, args: list[str]) -> int:
    """dgplan-monitoring rebuild-read-models: truncate and replay the consumed-event history."""
    applied = await rebuild_read_models(runtime.db)
    print(f"read models rebuilt from {applied} events")
    return 0


async def reevaluate_command(runtime: Runtime, args: list[str]) -> int:
    """dgplan-monitoring reevaluate: re-evaluate every project today (run daily, e.g. a CronJob),
    so a quarter falling due without a report flags the project as not reporting."""
    settings = runtime.settings
    day = getattr(settings, "fixed_today", None) or utcnow().date()
    rules = Thresholds.from_settings(settings)
    async with runtime.db.session() as session:
        ids = list((await session.execute(select(rm_projects.c.project_id))).scalars())
    for project_id in ids:
        async with runtime.uow() as uow:
            await evaluate_and_announce(uow, project_id, day, rules)
            await uow.commit()
    print(f"{len(ids)} projects re-evaluated as of {day}")
    return 0
