"""Observations on plan versions as the registry reports them (the engine waits for answers)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.governance.adapters.tables import gov_observations as t


class ObservationsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, values: dict[str, Any]) -> None:
        status = values["status"]
        upsert = (pg_insert if self.session.bind.dialect.name == "postgresql" else sqlite_insert)(t)
        await self.session.execute(
            upsert.values(**values).on_conflict_do_update(
                index_elements=["observation_id"],
                # A late 'raised' never reopens an answered observation.
                set_={"status": status, "updated_at": values["updated_at"]}
                if status != "open"
                else {"updated_at": values["updated_at"]},
            )
        )

    async def open_count(self, plan_id: str, version_id: str | None) -> int:
        return int(
            await self.session.scalar(
                select(func.count())
                .select_from(t)
                .where(t.c.plan_id == plan_id, t.c.version_id == version_id, t.c.status == "open")
            )
            or 0
        )
