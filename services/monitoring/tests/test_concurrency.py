"""Concurrent submissions on a real database (committed transactions, a connection pool): one
report per quarter whatever the race, and one effect per Idempotency-Key."""

import asyncio

from sqlalchemy import func, select

from dgplan_shared.bus.memory import InMemoryBus
from dgplan_shared.service import build_runtime, create_service_app
from dgplan_shared.testing.clients import asgi_client, identity_headers
from monitoring.adapters.tables import outbox, progress_reports
from monitoring.definition import definition
from monitoring.settings import Settings
from monitoring_test_events import feed, project

BODY = {"project_id": "p1", "fiscal_year": 2565, "quarter": 1, "percent_complete": "25"}


async def test_racing_submissions(fresh_database_url):
    settings = Settings(database_url=await fresh_database_url(), bus="memory")
    runtime = build_runtime(definition(), settings, bus=InMemoryBus())
    await feed(runtime, project("p1", lead="MOF"))
    headers = identity_headers(settings, subject="mof", roles=["agency"], agency="MOF")
    app = create_service_app(definition(), settings, bus=InMemoryBus())
    try:
        async with asgi_client(app) as client:
            same_key = await asyncio.gather(*[
                client.post("/api/v1/monitoring/progress-reports", json=BODY,
                            headers={**headers, "Idempotency-Key": "same"}) for _ in range(4)])
            assert [r.status_code for r in same_key] == [201] * 4
            assert len({r.json()["report_id"] for r in same_key}) == 1

            other_quarter = {**BODY, "quarter": 2}
            racing = await asyncio.gather(*[
                client.post("/api/v1/monitoring/progress-reports", json=other_quarter,
                            headers={**headers, "Idempotency-Key": f"k{i}"}) for i in range(4)])
            assert sorted(r.status_code for r in racing) == [201, 409, 409, 409]
        async with runtime.db.session() as session:
            assert await session.scalar(select(func.count()).select_from(progress_reports)) == 2
            submitted = await session.scalar(select(func.count()).select_from(outbox).where(
                outbox.c.event_type == "dgplan.monitoring.progress.report-submitted.v1"))
            assert submitted == 2
    finally:
        await runtime.db.dispose()
