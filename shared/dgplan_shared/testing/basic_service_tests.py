"""Tests every service passes, whatever its domain: health, readiness, metrics, problem details.

A service runs them by importing them into one of its test modules::

    from dgplan_shared.testing.basic_service_tests import *  # noqa: F401,F403
"""

__all__ = [
    "test_alive_and_ready_with_database_and_bus",
    "test_not_ready_when_the_bus_is_required_and_down",
    "test_metrics_are_prometheus_text",
    "test_unknown_route_is_problem_json_with_request_id",
]


async def test_alive_and_ready_with_database_and_bus(client):  # type: ignore[no-untyped-def]
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "up", "bus": "up"}


async def test_not_ready_when_the_bus_is_required_and_down(client, bus, settings):  # type: ignore[no-untyped-def]
    bus.available = False
    assert (await client.get("/readyz")).status_code == 200  # the outbox absorbs a broker outage
    settings.readiness_requires_bus = True
    response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["bus"] == "down"


async def test_metrics_are_prometheus_text(client):  # type: ignore[no-untyped-def]
    await client.get("/healthz")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert "dgplan_http_request_duration_seconds" in response.text


async def test_unknown_route_is_problem_json_with_request_id(client):  # type: ignore[no-untyped-def]
    response = await client.get("/nope", headers={"x-request-id": "req-123"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:dgplan:problem:not-found"
    assert response.headers["x-request-id"] == "req-123"
    assert response.headers["traceparent"].startswith("00-")
