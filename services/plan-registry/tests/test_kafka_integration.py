"""Over real Kafka and PostgreSQL: another service's consumer (its own database) receives the
registry's events; governance decisions published to Kafka lock, then approve, a version."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from dgplan_shared.bus import OutgoingRecord, build_bus
from dgplan_shared.consumer import EventHandlers, InboxConsumer
from dgplan_shared.db.engine import Database
from dgplan_shared.events import CloudEvent
from dgplan_shared.service import create_service_app
from dgplan_shared.testing.clients import asgi_client, identity_headers
from dgplan_shared.testing.databases import migrated_database_url

from plan_registry.adapters.tables import inbox, outbox
from plan_registry.definition import definition
from plan_registry.settings import Settings
from plan_registry.commands import seed as load_seed

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]


async def _wait(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


async def test_registry_events_reach_another_consumer_and_governance_decisions_come_back(
    postgres_server, kafka_bootstrap, tmp_path
):
    prefix = f"pr{uuid.uuid4().hex[:8]}-"
    registry_url = await migrated_database_url("plan_registry:migrations", "postgres", postgres_server=postgres_server, directory=tmp_path, prefix="pr_kafka")
    # The "other service": its own database (a migrated schema with an inbox) and its own group.
    other_url = await migrated_database_url("plan_registry:migrations", "postgres", postgres_server=postgres_server, directory=tmp_path, prefix="pr_other")
    settings = Settings(
        database_url=registry_url, bus="kafka", kafka_bootstrap_servers=kafka_bootstrap, kafka_topic_prefix=prefix,
        consumer_retry_backoff_seconds=0.05, consumer_session_timeout_ms=6000,
    )
    received: list[CloudEvent] = []
    other_handlers = EventHandlers()

    @other_handlers.on("dgplan.plan-registry.project.registered.v1", "dgplan.plan-registry.plan.version-submitted.v1",
                       "dgplan.plan-registry.plan.version-approved.v1", "dgplan.plan-registry.plan.structure-published.v1")
    async def remember(uow, event):  # type: ignore[no-untyped-def]
        received.append(event)

    other_db = Database.from_url(other_url)
    other_bus = build_bus("kafka", bootstrap_servers=kafka_bootstrap, topic_prefix=prefix, client_id="other", session_timeout_ms=6000)
    other = InboxConsumer(
        db=other_db, bus=other_bus, service="ledger-like", group="ledger-like",
        topics=["plan-registry.project.events", "plan-registry.plan.events"], handlers=other_handlers,
        inbox=inbox, outbox=outbox, backoff=0.05,
    )
    gateway_bus = build_bus("kafka", bootstrap_servers=kafka_bootstrap, topic_prefix=prefix, client_id="gateway-test")
    app = create_service_app(definition(), settings)
    stop = asyncio.Event()
    tasks: list[asyncio.Task] = []
    try:
        async with asgi_client(app) as client:
            runtime = app.state.runtime
            await runtime.bus.ensure_topics(["plan-registry.project.events", "plan-registry.plan.events", "gateway.plan-approval.events"])
            assert await load_seed(runtime) == "created"
            tasks = [
                asyncio.create_task(runtime.relay().run(stop)),
                asyncio.create_task(runtime.consumer().run(stop)),
                asyncio.create_task(other.run(stop)),
            ]
            secretariat = identity_headers(settings, subject="dga", roles=["secretariat"])
            plan = (await client.get("/api/v1/plans", headers=secretariat)).json()["items"][0]
            v2 = (await client.post(f"/api/v1/plans/{plan['id']}/versions", json={}, headers=secretariat | {"Idempotency-Key": "r"})).json()
            assert (await client.post(f"/api/v1/plans/{plan['id']}/versions/{v2['id']}/submit", headers=secretariat)).status_code == 200

            def of(kind: str) -> list[CloudEvent]:
                return [e for e in received if e.type == f"dgplan.plan-registry.{kind}.v1"]

            async def seed_and_submission_arrived() -> bool:
                return len(of("project.registered")) == 10 and len(of("plan.version-submitted")) == 1

            await _wait(seed_and_submission_arrived, 60, "the seed's projects and the submission at the other consumer")
            farmers = [e for e in of("project.registered") if e.data["title"]["th"] == "การพัฒนาระบบฐานข้อมูลเกษตรกร"]
            assert len(farmers) == 1 and farmers[0].data["plan_id"] == plan["id"]
            assert of("plan.structure-published")[0].data["budget_framework"] == "6504690000.00"

            async def publish(event_type: str, data: dict) -> None:  # type: ignore[type-arg]
                event = CloudEvent.new("gateway", event_type, plan["id"], {"plan_id": plan["id"], "version_id": v2["id"], **data})
                await gateway_bus.publish([OutgoingRecord("gateway.plan-approval.events", plan["id"], event.to_json(), event.kafka_headers())])

            async def version_status() -> str:
                return (await client.get(f"/api/v1/plans/{plan['id']}/versions/{v2['id']}", headers=secretariat)).json()["status"]

            await publish("dgplan.gateway.plan-approval.stage-decided.v1", {
                "instance_id": "i1", "stage": "committee", "body": "digital-government-committee", "decision": "propose",
                "reason": "ok", "observations": [], "next_stage": "nesdc"})
            await _wait(lambda: _is(version_status, "under_review"), 60, "the version to be under review")
            nodes = (await client.get(f"/api/v1/plans/{plan['id']}/versions/{v2['id']}/nodes", params={"node_type": "strategy"}, headers=secretariat)).json()["items"]
            etag = (await client.get(f"/api/v1/plans/{plan['id']}/versions/{v2['id']}/nodes/{nodes[0]['id']}", headers=secretariat)).headers["etag"]
            locked = await client.patch(f"/api/v1/plans/{plan['id']}/versions/{v2['id']}/nodes/{nodes[0]['id']}",
                                        json={"code": "S1-NEW"}, headers=secretariat | {"If-Match": etag})
            assert locked.status_code == 409

            await publish("dgplan.gateway.plan-approval.approved.v1", {"instance_id": "i1", "body": "cabinet", "decided_at": "2026-11-26T10:00:00Z"})
            await _wait(lambda: _is(version_status, "approved"), 60, "the version to be approved")
            assert (await client.get(f"/api/v1/plans/{plan['id']}")).json()["approved_version_id"] == v2["id"]

            async def approval_arrived() -> bool:
                # First the seed's own approval (it was imported approved), then the governance one.
                approvals = [e.data["version_id"] for e in of("plan.version-approved")]
                return len(approvals) == 2 and approvals[1] == v2["id"] and approvals[0] != v2["id"]

            await _wait(approval_arrived, 60, "plan.version-approved at the other consumer")
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        await gateway_bus.stop()
        await other_bus.stop()
        await other_db.dispose()


async def _is(read, expected: str) -> bool:  # type: ignore[no-untyped-def]
    return await read() == expected
