"""Migration 0004 keeps public what was public: for plans already approved, the projects monitoring
knew become the approved set (the next approval event replaces it); unapproved plans get none."""

import asyncio

from sqlalchemy import select

from dgplan_shared.db.engine import build_engine
from dgplan_shared.db.migrations import downgrade, upgrade
from monitoring.adapters.tables import rm_approved_projects, rm_plans, rm_projects


def _project(project_id: str, plan_id: str) -> dict:
    return {"project_id": project_id, "plan_id": plan_id, "code": project_id, "agencies": [], "target_ids": []}


async def test_upgrade_backfills_the_approved_set_of_approved_plans_only(fresh_database_url):
    url = await fresh_database_url()
    await asyncio.to_thread(downgrade, "monitoring:migrations", url, "0003")
    engine = build_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(rm_plans.insert(), [
                {"plan_id": "approved-plan", "approved_version_id": "v1"},
                {"plan_id": "draft-plan", "approved_version_id": None},
            ])
            await conn.execute(rm_projects.insert(), [
                _project("a1", "approved-plan"), _project("a2", "approved-plan"), _project("d1", "draft-plan"),
            ])
        await asyncio.to_thread(upgrade, "monitoring:migrations", url, "head")
        async with engine.connect() as conn:
            a = rm_approved_projects.c
            rows = (await conn.execute(select(a.plan_id, a.project_id, a.version_id).order_by(a.project_id))).all()
        assert [tuple(r) for r in rows] == [("approved-plan", "a1", "v1"), ("approved-plan", "a2", "v1")]
    finally:
        await engine.dispose()
