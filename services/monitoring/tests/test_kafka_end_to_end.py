"""Over real Kafka and PostgreSQL, with no call between services: registry and ledger events on
their topics reach monitoring's consumer; a progress report then changes the project's evaluation,
and the status change leaves through the outbox and the relay onto monitoring's topic."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from dgplan_shared.bus.base import OutgoingRecord
from dgplan_shared.bus.kafka import KafkaBus
from dgplan_shared.events import CloudEvent, topic_for
from dgplan_shared.service import build_runtime, create_service_app
from dgplan_shared.testing.clients import asgi_client, identity_headers
from dgplan_shared.testing.databases import migrated_database_url
from monitoring.adapters.tables import consumed_events, outbox, rm_budget_entries
from monitoring.definition import definition
from monitoring.settings import Settings
from monitoring_test_events import rebuild_read_models
from monitoring_test_events import posting, project, snapshot, structure_published

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]

STATUS_CHANGED = "dgplan.monitoring.evaluation.project-status-changed.v1"


async def _eventually(check, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = await check()
        if result:
            return result
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


async def test_registry_and_ledger_events_then_a_report_change_the_evaluation(postgres_server, kafka_bootstrap,
                                                                               tmp_path):
    url = await migrated_database_url("monitoring:migrations", "postgres", postgres_server=postgres_server,
                                      directory=tmp_path, prefix="monitoring_e2e")
    prefix = f"e2e-{uuid.uuid4().hex[:8]}."
    settings = Settings(database_url=url, bus="kafka", kafka_bootstrap_servers=kafka_bootstrap,
                        kafka_topic_prefix=prefix, consumer_retry_backoff_seconds=0.05,
                        consumer_session_timeout_ms=6000, kafka_topic_partitions=1, fixed_today=date(2022, 2, 15))

    # What the registry's and the ledger's relays would put on their topics.
    upstream = [
        structure_published(),
        project("p-e2e", code="P-E2E", lead="MOF", start_fy=2565, end_fy=2565, th="โครงการทดสอบระบบ"),
        posting("allocation", "a-e2e", "p-e2e", "1000000.00", posted_at="2021-11-01T00:00:00Z"),
        posting("disbursement", "d-e2e", "p-e2e", "400000.00", posted_at="2022-01-15T00:00:00Z"),
    ]
    producer = KafkaBus(kafka_bootstrap, topic_prefix=prefix, client_id="e2e-upstream", partitions=1)
    await producer.ensure_topics([*{topic_for(e.type) for e in upstream}, "monitoring.evaluation.events",
                                  "monitoring.progress.events"], partitions=1)
    await producer.publish([OutgoingRecord(topic_for(e.type), e.subject, e.to_json(), e.kafka_headers())
                            for e in upstream])

    runtime = build_runtime(definition(), settings)
    stop = asyncio.Event()
    consumer = asyncio.create_task(runtime.consumer().run(stop))
    relay = asyncio.create_task(runtime.relay().run(stop))
    watcher = producer.subscribe("e2e-watcher", ["monitoring.evaluation.events"])
    await watcher.start()
    try:
        async def all_consumed() -> bool:
            async with runtime.db.session() as s:
                return await s.scalar(select(func.count()).select_from(consumed_events)) == len(upstream)

        await _eventually(all_consumed, 60, "the registry and ledger events in monitoring")
        async with runtime.db.session() as s:
            assert await s.scalar(select(func.count()).select_from(rm_budget_entries)) == 2

        app = create_service_app(definition(), settings, db=runtime.db, bus=runtime.bus)
        async with asgi_client(app) as client:
            secretariat = identity_headers(settings, roles=["secretariat"])
            evaluation_url = "/api/v1/monitoring/projects/p-e2e/evaluation"
            before = (await client.get(evaluation_url, params={"as_of": "2022-02-15"}, headers=secretariat)).json()
            assert before["status"] == "not_reporting"

            response = await client.post("/api/v1/monitoring/progress-reports", json={
                "project_id": "p-e2e", "fiscal_year": 2565, "quarter": 1, "percent_complete": "25",
                "narrative": {"th": "เป็นไปตามแผน", "en": "On plan"},
            }, headers={**identity_headers(settings, roles=["agency"], agency="MOF"), "Idempotency-Key": "e2e-1"})
            assert response.status_code == 201, response.text

            after = (await client.get(evaluation_url, params={"as_of": "2022-02-15"}, headers=secretariat)).json()
            assert after["status"] == "on_track"
            budget = next(c for c in after["checks"] if c["name"] == "budget_execution")
            assert budget["measured"] == "40.00"

        async with runtime.db.session() as s:
            changes = [CloudEvent.from_json(r) for r in (await s.execute(
                select(outbox.c.envelope).where(outbox.c.event_type == STATUS_CHANGED).order_by(outbox.c.id)
            )).scalars()]
        assert [(c.data["previous_status"], c.data["status"]) for c in changes] == [
            (None, "not_reporting"), ("not_reporting", "on_track")]

        # The relay puts them on Kafka for the gateway and anyone else who listens.
        seen: list[CloudEvent] = []

        async def delivered() -> bool:
            records = await watcher.fetch(timeout=0.5)
            seen.extend(CloudEvent.from_json(r.value) for r in records)
            return any(e.data.get("status") == "on_track" for e in seen)

        await _eventually(delivered, 60, "the status change on monitoring.evaluation.events")

        # The history rebuilds the read models exactly, on PostgreSQL too.
        live = await snapshot(runtime.db)
        await rebuild_read_models(runtime.db)
        assert await snapshot(runtime.db) == live
    finally:
        stop.set()
        await asyncio.gather(consumer, relay)
        await watcher.stop()
        await producer.stop()
        await runtime.bus.stop()
        await runtime.db.dispose()
