"""Service commands beyond api/relay/consumer/migrate."""

from __future__ import annotations

from sqlalchemy import select

from dgplan_shared.db.engine import Database
from dgplan_shared.db.types import utcnow
from dgplan_shared.settings import ServiceSettings
from monitoring.db.tables import outbox, rm_projects
from monitoring.domain.evaluation import Thresholds
from monitoring.usecases.announce_status import evaluate_and_announce
from monitoring.usecases.rebuild_read_models import rebuild_read_models


async def rebuild_command(settings: ServiceSettings, args: list[str]) -> int:
    """dgplan-monitoring rebuild-read-models: truncate and replay the consumed-event history."""
    db = Database.from_url(settings.database_url, settings.database_pool_size)
    try:
        applied = await rebuild_read_models(db)
    finally:
        await db.dispose()
    print(f"read models rebuilt from {applied} events")
    return 0


async def reevaluate_command(settings: ServiceSettings, args: list[str]) -> int:
    """dgplan-monitoring reevaluate: re-evaluate every project today (run daily, e.g. a CronJob),
    so a quarter falling due without a report flags the project as not reporting."""
    from dgplan_shared.db.uow import UnitOfWork

    db = Database.from_url(settings.database_url, settings.database_pool_size)
    day = getattr(settings, "fixed_today", None) or utcnow().date()
    rules = Thresholds.from_settings(settings)
    try:
        async with db.session() as session:
            ids = list((await session.execute(select(rm_projects.c.project_id))).scalars())
        for project_id in ids:
            async with UnitOfWork(db, "monitoring", outbox) as uow:
                await evaluate_and_announce(uow, project_id, day, rules)
                await uow.commit()
    finally:
        await db.dispose()
    print(f"{len(ids)} projects re-evaluated as of {day}")
    return 0
