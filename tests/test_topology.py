"""The distributed topology: every service's API, relay and consumer as separate processes on
PostgreSQL and Kafka, reachable through the gateway; with ``frontends=True`` the console too, as its
own process behind the gateway's address (its browser test: tests/console/test_console_distributed.py)."""

import json
import uuid

import httpx
import pytest

from dgplan_shared.registry import installed_frontends
from dgplan_shared.topology import Topology


def test_the_api_only_topology_leaves_the_front_ends_out(tmp_path):
    topology = Topology(tmp_path, "postgresql+asyncpg://unused@127.0.0.1/postgres", "127.0.0.1:9")
    assert "console" not in topology.services and not any(s.frontend for s in topology.services.values())


def test_the_console_is_its_own_api_process_behind_the_gateways_one_address(tmp_path):
    """Wiring only (no process is started): the gateway forwards the console's own paths to the
    console's port; the console calls the gateway, and its issuer and redirect URI are the public
    address, which the gateway's built-in issuer names too."""
    topology = Topology(tmp_path, "postgresql+asyncpg://unused@127.0.0.1/postgres", "127.0.0.1:9", frontends=True)
    console, gateway = topology.services["console"], topology.services["gateway"]
    assert console.frontend and not gateway.frontend and console.port != gateway.port
    public = topology.gateway_url
    gateway_env = topology.env_for(gateway)
    assert gateway_env["GATEWAY_CONSOLE_URL"] == topology.url("console")
    assert tuple(json.loads(gateway_env["GATEWAY_CONSOLE_PATHS"])) == installed_frontends()["console"].serves_paths
    assert gateway_env["GATEWAY_PUBLIC_BASE_URL"] == public
    console_env = topology.env_for(console)
    assert console_env["CONSOLE_GATEWAY_URL"] == console_env["CONSOLE_OIDC_ISSUER"] == public
    assert console_env["CONSOLE_PUBLIC_URL"] == public
    assert console_env["CONSOLE_BUS"] == "memory"  # it publishes nothing: no broker to need
    # It reads the client secret the gateway's setup writes beside the demo clients' file.
    assert console_env["DGPLAN_DATA_DIR"] == str(topology.demo_clients_file.parent)


@pytest.mark.postgres
@pytest.mark.kafka
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
