"""End-to-end over the distributed topology: every service's API, relay and consumer as separate
processes on PostgreSQL and Kafka. The tests talk only to the gateway, as the users do; the
services talk to each other only through Kafka."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from dgplan_shared.topology import Topology


@pytest.fixture(scope="package")
async def topology(tmp_path_factory, postgres_server, kafka_bootstrap):  # type: ignore[no-untyped-def]
    topo = Topology(tmp_path_factory.mktemp("e2e"), postgres_server, kafka_bootstrap,
                    topic_prefix=f"e2e{uuid.uuid4().hex[:6]}-")
    await topo.prepare()
    topo.start()
    try:
        await asyncio.to_thread(topo.wait_healthy, 90)
        yield topo
    finally:
        topo.stop()


class Gateway:
    """An HTTP client of the gateway that signs in as the demo clients (client credentials)."""

    def __init__(self, topology: Topology) -> None:
        self.topology = topology
        self.http = httpx.AsyncClient(base_url=topology.gateway_url, timeout=30)
        self._tokens: dict[str, str] = {}
        self.secrets = topology.demo_client_secrets()

    async def token(self, client_id: str) -> str:
        if client_id not in self._tokens:
            response = await self.http.post(
                "/oauth2/token",
                data={"grant_type": "client_credentials", "client_id": client_id,
                      "client_secret": self.secrets[client_id].strip()},
            )
            assert response.status_code == 200, response.text
            self._tokens[client_id] = response.json()["access_token"]
        return self._tokens[client_id]

    async def call(self, method: str, path: str, as_: str | None = None, *, idempotent: bool = False,
                   headers: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
        all_headers = dict(headers or {})
        if as_ is not None:
            all_headers["Authorization"] = f"Bearer {await self.token(as_)}"
        if idempotent:
            all_headers["Idempotency-Key"] = uuid.uuid4().hex
        return await self.http.request(method, path, headers=all_headers, **kwargs)

    async def get(self, path: str, as_: str | None = None, **kwargs: Any) -> httpx.Response:
        return await self.call("GET", path, as_, **kwargs)

    async def post(self, path: str, as_: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return await self.call("POST", path, as_, idempotent=True, json=json, **kwargs)


@pytest.fixture(scope="package")
async def gateway(topology):  # type: ignore[no-untyped-def]
    gw = Gateway(topology)
    yield gw
    await gw.http.aclose()


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float, what: str) -> Any:
    """Poll until ``check`` returns something truthy: events cross Kafka asynchronously."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last answer: {last!r}")
