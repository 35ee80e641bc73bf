"""Service commands beyond api/relay/consumer/migrate, run through the command pipeline."""

from __future__ import annotations

from dgplan_shared.commands import execute
from dgplan_shared.db.types import utcnow
from dgplan_shared.service import Runtime
from monitoring.application import rebuild_read_models, reevaluate
from monitoring.domain.evaluation import Thresholds


async def rebuild_command(runtime: Runtime, args: list[str]) -> int:
    """dgplan-monitoring rebuild-read-models: truncate and replay the consumed-event history."""
    applied = (await execute(runtime.uow, rebuild_read_models.handle, rebuild_read_models.RebuildReadModels())).body
    print(f"read models rebuilt from {applied} events")
    return 0


async def reevaluate_command(runtime: Runtime, args: list[str]) -> int:
    """dgplan-monitoring reevaluate: re-evaluate every project today (run daily, e.g. a CronJob),
    so a quarter falling due without a report flags the project as not reporting."""
    settings = runtime.settings
    day = getattr(settings, "fixed_today", None) or utcnow().date()
    rules = Thresholds.from_settings(settings)
    ids = (await execute(runtime.uow, reevaluate.project_ids, reevaluate.ListProjectIds())).body
    for project_id in ids:
        await execute(runtime.uow, reevaluate.handle, reevaluate.Reevaluate(project_id, day, rules))
    print(f"{len(ids)} projects re-evaluated as of {day}")
    return 0
