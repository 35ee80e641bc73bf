"""The ledger's read models of the registry's plans, strategies and projects (from its events)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.adapters.tables import plans, projects, strategies


class PlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def plan(self, plan_id: str) -> Any | None:
        return (await self.session.execute(select(plans).where(plans.c.plan_id == plan_id))).mappings().first()

    async def save_plan(self, plan_id: str, values: dict[str, Any], *, keep_unknown: bool = False) -> None:
        """Insert or update; with ``keep_unknown`` an update leaves the columns given as None as they are."""
        if await self.session.scalar(select(plans.c.plan_id).where(plans.c.plan_id == plan_id)):
            if keep_unknown:
                values = {k: v for k, v in values.items() if v is not None}
            await self.session.execute(update(plans).where(plans.c.plan_id == plan_id).values(**values))
        else:
            await self.session.execute(plans.insert().values(plan_id=plan_id, **values))

    async def save_strategy(self, strategy_id: str, values: dict[str, Any]) -> None:
        c = strategies.c
        if await self.session.scalar(select(c.strategy_id).where(c.strategy_id == strategy_id)):
            await self.session.execute(update(strategies).where(c.strategy_id == strategy_id).values(**values))
        else:
            await self.session.execute(strategies.insert().values(strategy_id=strategy_id, **values))

    async def strategies_of(self, plan_id: str) -> dict[str, Any]:
        rows = await self.session.execute(select(strategies).where(strategies.c.plan_id == plan_id))
        return {r.strategy_id: r for r in rows.all()}

    async def project(self, project_id: str) -> Any | None:
        query = select(projects).where(projects.c.project_id == project_id)
        return (await self.session.execute(query)).mappings().first()

    async def projects(self, ids: set[str]) -> dict[str, Any]:
        rows = (await self.session.execute(select(projects).where(projects.c.project_id.in_(sorted(ids))))).mappings()
        return {r["project_id"]: r for r in rows}

    async def save_project(self, project_id: str, values: dict[str, Any]) -> None:
        c = projects.c
        if await self.session.scalar(select(c.project_id).where(c.project_id == project_id)):
            await self.session.execute(update(projects).where(c.project_id == project_id).values(**values))
        else:
            await self.session.execute(projects.insert().values(project_id=project_id, **values))
