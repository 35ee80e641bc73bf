"""The last status monitoring announced per project: all SQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring.adapters.tables import project_statuses, rm_projects


class ProjectStatusRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, project_id: str) -> dict[str, Any] | None:
        row = (await self.session.execute(
            select(project_statuses).where(project_statuses.c.project_id == project_id))).mappings().first()
        return dict(row) if row else None

    async def save(self, project_id: str, values: dict[str, Any], *, existed: bool) -> None:
        if existed:
            await self.session.execute(
                update(project_statuses).where(project_statuses.c.project_id == project_id).values(**values))
            return
        insert = pg_insert if self.session.bind.dialect.name == "postgresql" else sqlite_insert
        await self.session.execute(
            insert(project_statuses).values(project_id=project_id, **values).on_conflict_do_nothing())

    async def with_projects(
        self, *, status: str | None, at_risk: bool | None, plan_id: str | None, strategy_id: str | None,
        lead_agency: str | None, after: list[Any] | None,
    ) -> list[dict[str, Any]]:
        """Announced statuses joined to the latest project snapshot, by (code, project id)."""
        p, s = rm_projects.c, project_statuses.c
        code = func.coalesce(p.code, "")  # codes may be missing: keep the order total
        query = (select(rm_projects, s.status.label("evaluated_status"), s.at_risk, s.as_of)
                 .join(project_statuses, s.project_id == p.project_id))
        for column, value in ((s.status, status), (s.at_risk, at_risk), (p.plan_id, plan_id),
                              (p.strategy_id, strategy_id), (p.lead_agency, lead_agency)):
            if value is not None:
                query = query.where(column == value)
        if after is not None:
            query = query.where(or_(code > after[0], and_(code == after[0], p.project_id > after[1])))
        query = query.order_by(code, p.project_id)
        return [dict(r) for r in (await self.session.execute(query)).mappings()]
