"""The service's own commands on a real (committed) database: ``rebuild-read-models`` and
``reevaluate`` (flags projects whose due quarter went unreported)."""

import asyncio
import os
import sys
from datetime import date

from sqlalchemy import select

from dgplan_shared.bus.memory import InMemoryBus
from dgplan_shared.events import CloudEvent
from dgplan_shared.service import build_runtime
from monitoring.adapters.tables import outbox, project_statuses
from monitoring.definition import definition
from monitoring.settings import Settings
from monitoring_test_events import feed, posting, project, seed_plan_events, snapshot
from dgplan_shared.cli import run_service_command


async def test_rebuild_and_reevaluate_commands(fresh_database_url):
    url = await fresh_database_url()
    runtime = build_runtime(definition(), Settings(database_url=url), bus=InMemoryBus())
    try:
        await feed(runtime, *seed_plan_events(), project("late", lead="MOF", start_fy=2565, end_fy=2566),
                   posting("allocation", "a1", "late", "10.00"))
        live = await snapshot(runtime.db)

        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "monitoring", "rebuild-read-models",
            env={**os.environ, "MONITORING_DATABASE_URL": url, "MONITORING_LOG_LEVEL": "WARNING"},
            stdout=asyncio.subprocess.PIPE,
        )
        out, _ = await process.communicate()
        assert process.returncode == 0
        assert out.decode().strip() == "read models rebuilt from 15 events"
        assert await snapshot(runtime.db) == live

        async with runtime.db.session() as session:
            await session.execute(project_statuses.update().values(status="on_track"))
            await session.commit()
        settings = Settings(database_url=url, fixed_today=date(2022, 5, 1))
        assert await run_service_command(definition(), settings, "reevaluate", []) == 0
        async with runtime.db.session() as session:
            statuses = set((await session.execute(select(project_statuses.c.status))).scalars())
            envelopes = (await session.execute(select(outbox.c.envelope).order_by(outbox.c.id))).scalars().all()
        assert statuses == {"not_reporting"}
        changed = [CloudEvent.from_json(e).data for e in envelopes][-11:]
        assert {(c["previous_status"], c["status"], c["as_of"]) for c in changed} == {
            ("on_track", "not_reporting", "2022-05-01")}
    finally:
        await runtime.db.dispose()
