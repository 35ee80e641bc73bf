"""SQL for the read models that tell which agency a project or a budget request belongs to."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.adapters.tables import rm_projects, rm_requests


class AgencyReadModels:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert

    async def remember_project(self, project_id: str, lead_agency: str) -> None:
        stmt = self._insert(rm_projects).values(project_id=project_id, lead_agency=lead_agency)
        await self.session.execute(stmt.on_conflict_do_update(index_elements=["project_id"],
                                                              set_={"lead_agency": lead_agency}))

    async def remember_request(self, request_id: str, agency: str, project_id: str | None) -> None:
        stmt = self._insert(rm_requests).values(request_id=request_id, agency=agency, project_id=project_id)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["request_id"], set_={"agency": agency, "project_id": project_id}))

    async def project_agency(self, project_id: str | None) -> str | None:
        if not project_id:
            return None
        return (await self.session.execute(
            select(rm_projects.c.lead_agency).where(rm_projects.c.project_id == project_id))).scalar_one_or_none()

    async def request_agency(self, request_id: str | None) -> str | None:
        if not request_id:
            return None
        return (await self.session.execute(
            select(rm_requests.c.agency).where(rm_requests.c.request_id == request_id))).scalar_one_or_none()
