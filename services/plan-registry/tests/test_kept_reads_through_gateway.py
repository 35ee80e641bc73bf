"""Through the gateway, in process (as `make run` wires it) and over HTTP with its default upstream
client (as deployed): the registry's ETag, Cache-Control and Vary reach the caller, If-None-Match
reaches the registry, and its 304 comes back as a bodiless 304."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import uvicorn

from dgplan_shared.service import create_service_app
from dgplan_shared.testing.clients import asgi_client
from dgplan_shared.testing.databases import migrated_database_url
from gateway.definition import definition as gateway_definition
from gateway.settings import Settings as GatewaySettings

from plan_registry.definition import definition

pytestmark = [pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]  # the gateway's own database: SQLite


@asynccontextmanager
async def serving(app) -> AsyncIterator[str]:  # type: ignore[no-untyped-def]
    """The app over HTTP on a free loopback port (its lifespan is run by the caller)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", access_log=False, log_config=None,
                                           timeout_graceful_shutdown=2))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture(params=["in-process", "http"])
async def through_gateway(request, settings, db, bus, tmp_path):  # type: ignore[no-untyped-def]
    registry = create_service_app(definition(), settings, db=db, bus=bus)
    gateway_db = await migrated_database_url("gateway:migrations", "sqlite", postgres_server=None,
                                             directory=tmp_path, prefix="gateway")
    async with registry.router.lifespan_context(registry), serving(registry) as registry_url:
        options = {"upstream_apps": {"plan-registry": registry}} if request.param == "in-process" else {"upstream_apps": {}}
        gateway_settings = GatewaySettings(
            database_url=gateway_db, internal_auth_secret=settings.internal_auth_secret, bus="memory",
            rate_limit_per_second=0, plan_registry_url=registry_url,
        )
        gateway = create_service_app(gateway_definition(), gateway_settings, bus=bus, extras=options)
        async with asgi_client(gateway) as http:
            yield http


async def test_the_approved_document_and_the_plan_list_revalidate_through_the_gateway(through_gateway, seeded):
    client = through_gateway
    path = f"/api/v1/plans/{seeded['id']}/versions/{seeded['approved_version_id']}/document"
    first = await client.get(path)
    assert first.status_code == 200, first.text
    assert first.headers["cache-control"] == "public, max-age=31536000, immutable"
    etag = first.headers["etag"]
    again = await client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag and again.headers["cache-control"] == "public, max-age=31536000, immutable"

    plans = await client.get("/api/v1/plans")
    assert plans.status_code == 200 and plans.headers["cache-control"] == "no-cache"
    assert plans.headers["vary"] == "Authorization"
    revalidated = await client.get("/api/v1/plans", headers={"If-None-Match": plans.headers["etag"]})
    assert revalidated.status_code == 304 and revalidated.headers["etag"] == plans.headers["etag"]
