"""Keep the ledger's read model of registered projects (from project.registered / project.changed).

Each event is a full snapshot, so the handler upserts the whole row; an older snapshot never
arrives after a newer one because the registry keys project events by project id.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.db.tables import projects
from budget_ledger.text import nfc
from dgplan_shared.db.types import utcnow


async def apply_project_snapshot(session: AsyncSession, data: dict[str, Any]) -> None:
    title = data.get("title") or {}
    values = {
        "code": data.get("code"),
        "plan_id": str(data["plan_id"]),
        "strategy_id": str(data["strategy_id"]),
        "lead_agency": data.get("lead_agency"),
        "title_th": nfc(title.get("th")),
        "title_en": nfc(title.get("en")),
        "start_fy": data.get("start_fy"),
        "end_fy": data.get("end_fy"),
        "status": data.get("status"),
        "updated_at": utcnow(),
    }
    project_id = str(data["project_id"])
    exists = await session.scalar(select(projects.c.project_id).where(projects.c.project_id == project_id))
    if exists:
        await session.execute(update(projects).where(projects.c.project_id == project_id).values(**values))
    else:
        await session.execute(projects.insert().values(project_id=project_id, **values))


async def get_project(session: AsyncSession, project_id: str):  # type: ignore[no-untyped-def]
    return (await session.execute(select(projects).where(projects.c.project_id == project_id))).mappings().first()
