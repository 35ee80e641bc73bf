"""Over real Kafka: a hand-crafted package-approved event from the governance engine reaches the
ledger's consumer, which posts the approved amounts and allocations; the relay then publishes the
ledger's own events to Kafka."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from budget_ledger.adapters.tables import appropriations, outbox
from budget_ledger.definition import definition
from budget_ledger.events.types import ALLOCATION_POSTED, PACKAGE_APPROVED, PLAN_STRUCTURE_PUBLISHED, PROJECT_REGISTERED
from budget_ledger.settings import Settings
from dgplan_shared.bus.base import OutgoingRecord
from dgplan_shared.bus.kafka import KafkaBus
from dgplan_shared.bus.memory import InMemoryBus
from dgplan_shared.events import CloudEvent, topic_for
from dgplan_contracts.identity import AGENCY, BODY_MEMBER, SECRETARIAT
from dgplan_shared.service import build_runtime, create_service_app
from dgplan_shared.testing.clients import asgi_client, identity_headers
from dgplan_shared.testing.databases import migrated_database_url

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]


async def _wait(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


async def test_package_approved_on_kafka_posts_allocations(postgres_server, kafka_bootstrap, tmp_path, h):
    url = await migrated_database_url("budget_ledger:migrations", "postgres", postgres_server=postgres_server,
                                      directory=tmp_path, prefix="budget_ledger_kafka")
    prefix = f"t{uuid.uuid4().hex[:8]}-"
    settings = Settings(database_url=url, bus="kafka", kafka_bootstrap_servers=kafka_bootstrap, kafka_topic_prefix=prefix,
                        consumer_session_timeout_ms=6000, consumer_retry_backoff_seconds=0.05)
    ids = lambda *roles, **kw: identity_headers(settings, roles=roles, **kw)  # noqa: E731
    key = lambda k: {"Idempotency-Key": k}  # noqa: E731

    # Screening up to the package through the API (the API needs no broker: events wait in the outbox).
    app = create_service_app(definition(), settings, bus=InMemoryBus())
    async with asgi_client(app) as client:
        consumer = app.state.runtime.consumer()
        await consumer.handle_record(h.record(PLAN_STRUCTURE_PUBLISHED, "plan-dgdp", h.structure_data()))
        await consumer.handle_record(h.record(PROJECT_REGISTERED, "p-mof", h.project_data("p-mof", "MOF")))
        now = datetime.now(timezone.utc)
        rnd = (await client.post("/api/v1/screening/rounds", json={"plan_id": "plan-dgdp", "fiscal_year": 2565, "ceiling": "5000000.00",
               "submission_deadline": (now + timedelta(days=1)).isoformat(), "decision_deadline": (now + timedelta(days=2)).isoformat()},
               headers={**ids(SECRETARIAT, subject="dga"), **key("o")})).json()
        round_id = rnd["round_id"]
        req = (await client.post(f"/api/v1/screening/rounds/{round_id}/requests", json={"project_id": "p-mof",
               "amounts": {"investment": "3000000.00", "operating": "500000.00"}, "justification": "ระบบบริการ"},
               headers={**ids(AGENCY, agency="MOF", subject="mof"), **key("r")})).json()
        member = ids(BODY_MEMBER, bodies=["operations-budget-subcommittee"], offices=["operations-budget-subcommittee"], subject="chair")
        assert (await client.post(f"/api/v1/screening/requests/{req['request_id']}/decisions",
                json={"decision": "recommend-reduced", "reason": "ลดลง", "rank": 1,
                      "meeting": {"title": "ครั้งที่ 1/2564", "held_on": "2021-11-15"},
                      "recommended_amounts": {"investment": "2500000.00", "operating": "500000.00"}},
                headers={**member, **key("d")})).status_code == 201
        assert (await client.post(f"/api/v1/screening/rounds/{round_id}/package", json={}, headers={**member, **key("p")})).status_code == 201

    # The committee's approval arrives on Kafka, as the gateway's relay would put it there.
    runtime = build_runtime(definition(), settings)
    await runtime.bus.ensure_topics([*definition().subscriptions, "budget-ledger.budget.events", "budget-ledger.screening.events",
                                     "budget-ledger.dlq"])
    event = CloudEvent.new("gateway", PACKAGE_APPROVED, round_id, {
        "instance_id": "wf-1", "round_id": round_id, "fiscal_year": 2565, "body": "digital-government-committee",
        "decided_at": now.isoformat(), "reason": "อนุมัติตามที่อนุกรรมการเสนอ"})
    producer = KafkaBus(kafka_bootstrap, topic_prefix=prefix)
    await producer.publish([OutgoingRecord(topic_for(PACKAGE_APPROVED), round_id, event.to_json(), event.kafka_headers())])
    await producer.publish([OutgoingRecord(topic_for(PACKAGE_APPROVED), round_id, event.to_json(), event.kafka_headers())])  # redelivered
    await producer.stop()

    async def allocated() -> bool:
        async with runtime.db.session() as s:
            return await s.scalar(select(func.sum(appropriations.c.allocated))) is not None and \
                await s.scalar(select(func.sum(appropriations.c.allocated))) > 0

    async def relayed() -> bool:
        async with runtime.db.session() as s:
            return await s.scalar(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))) == 0

    stop = asyncio.Event()
    tasks = [asyncio.create_task(runtime.consumer().run(stop)), asyncio.create_task(runtime.relay().run(stop))]
    try:
        await _wait(allocated, 60, "allocations posted from the Kafka approval")
        await _wait(relayed, 60, "the ledger's events relayed to Kafka")
    finally:
        stop.set()
        await asyncio.gather(*tasks)
    async with runtime.db.session() as s:
        rows = {r.expense_category: (r.approved, r.allocated) for r in (await s.execute(
            select(appropriations).where(appropriations.c.project_id == "p-mof"))).all()}
        allocation_events = await s.scalar(select(func.count()).select_from(outbox).where(outbox.c.event_type == ALLOCATION_POSTED))
    assert {k: (str(a), str(b)) for k, a_b in rows.items() for a, b in [a_b]} == {
        "investment": ("2500000.00", "2500000.00"), "operating": ("500000.00", "500000.00")}
    assert allocation_events == 2  # the duplicate delivery had no second effect
    await runtime.bus.stop()
    await runtime.db.dispose()
