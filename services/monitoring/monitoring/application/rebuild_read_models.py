"""Rebuild every read model from the stored event history, through the live projection code."""

from __future__ import annotations

from dataclasses import dataclass

from dgplan_shared.db.uow import UnitOfWork
from monitoring.adapters.repositories import repositories
from monitoring.application.project_event import project_event


@dataclass(frozen=True)
class RebuildReadModels:
    batch: int = 1000


async def handle(command: RebuildReadModels, uow: UnitOfWork) -> int:
    """One transaction (the pipeline's): readers see the old read models or the rebuilt ones, never a half."""
    repos = repositories(uow)
    await repos.projection.clear()
    applied = 0
    async for event in repos.history.in_order(command.batch):
        if await project_event(repos.projection, event):
            applied += 1
    return applied
