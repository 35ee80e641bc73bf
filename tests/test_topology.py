"""The distributed topology: every service's API, relay and consumer as separate processes on
PostgreSQL and Kafka, reachable through the gateway."""

import uuid

import httpx
import pytest

from dgplan_shared.topology import Topology

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


async def test_every_process_starts_and_the_gateway_and_apis_are_ready(tmp_path, postgres_server, kafka_bootstrap):
    topology = Topology(tmp_path, postgres_server, kafka_bootstrap, topic_prefix=f"topo{uuid.uuid4().hex[:6]}-")
    await topology.prepare()
    topology.start()
    try:
        topology.wait_healthy(90)
        for name in topology.services:
            ready = httpx.get(f"{topology.url(name)}/readyz", timeout=5)
            assert ready.status_code == 200, (name, ready.text)
            assert ready.json()["checks"]["database"] == "up"
        assert {"plan-registry", "budget-ledger", "monitoring", "notifications", "gateway"} <= set(topology.services)
        expected = {f"{name}.{role}" for name in topology.services for role in ("api", "relay")}
        expected.add("notifications.deliver")  # the webhook delivery daemon
        assert expected <= set(topology.processes)
        # The gateway routes to every service (an anonymous caller is asked to sign in, not 404/502).
        webhooks = httpx.get(f"{topology.url('gateway')}/api/v1/webhooks/endpoints", timeout=10)
        assert webhooks.status_code == 401, webhooks.text
        assert all(p.alive for p in topology.processes.values())
        # The services refuse callers that did not come through the gateway with a verified identity.
        direct = httpx.post(f"{topology.url('plan-registry')}/api/v1/plans", json={}, timeout=5)
        assert direct.status_code == 401
        forged = httpx.post(f"{topology.url('budget-ledger')}/api/v1/screening/rounds", json={}, timeout=5,
                            headers={"X-Dgplan-Identity": "forged.token.value"})
        assert forged.status_code == 401
    finally:
        topology.stop()
    assert not any(p.alive for p in topology.processes.values())
