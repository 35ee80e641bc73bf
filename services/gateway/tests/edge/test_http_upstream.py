"""The real HTTP path to a service (distributed mode), against uvicorn on 127.0.0.1: the answer
relayed intact, 504 on timeouts, 502 on a refused connection, 503 once the circuit opens, and
retries only for GET/HEAD/OPTIONS or requests with an Idempotency-Key. Both upstream clients."""

from __future__ import annotations

import asyncio
import socket
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from dgplan_contracts.assertion import IDENTITY_HEADER, verify_identity
from dgplan_shared.net import free_port  # nothing listens there: connections are refused

# Every client for what depends on the client (relaying, mapping its failures); the default one for
# what the proxy decides itself whatever the client (the retry policy, pooling).
EVERY_CLIENT = pytest.mark.parametrize("upstream_client", ["lean", "aiohttp", "httpx"])
DEFAULT_CLIENT = pytest.mark.parametrize("upstream_client", ["lean"])

TIMEOUT = 0.5  # short enough for a quick suite, long enough for a busy 2-core machine
KEEP_ALIVE = 0.3  # the service drops idle connections quickly: pooled connections go stale


def service_app(secret: str) -> FastAPI:
    app = FastAPI(openapi_url=None)
    hits: Counter[str] = Counter()
    app.state.hits = hits

    @app.api_route("/api/v1/plans/echo", methods=["GET", "POST"])
    async def echo(request: Request) -> JSONResponse:
        p = verify_identity(request.headers[IDENTITY_HEADER], secret)
        return JSONResponse(
            {
                "sub": p.subject,
                "query": request.url.query,
                "body": (await request.body()).decode(),
                "request_id": request.headers.get("x-request-id"),
                "host": request.headers.get("host"),
            },
            headers={"connection": "x-hop", "x-hop": "1", "x-kept": "yes"},
        )

    @app.api_route("/api/v1/plans/slow-once/{key}", methods=["GET", "POST"])
    async def slow_once(key: str) -> JSONResponse:
        hits[key] += 1
        if hits[key] == 1:
            await asyncio.sleep(TIMEOUT * 3)
        return JSONResponse({"hits": hits[key]})

    @app.get("/api/v1/plans/slow")
    async def slow() -> JSONResponse:
        await asyncio.sleep(TIMEOUT * 3)
        return JSONResponse({})

    @app.api_route("/api/v1/plans/count", methods=["GET", "HEAD", "POST"])
    async def count(request: Request) -> JSONResponse:
        hits["count"] += 1
        close = {"connection": "close"} if request.query_params.get("close") else {}
        return JSONResponse({"hits": hits["count"]}, headers=close)

    @app.get("/api/v1/plans/stall")
    async def stall() -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            yield b"12345"
            await asyncio.sleep(TIMEOUT * 3)
            yield b"67890"

        return StreamingResponse(chunks(), headers={"content-length": "10"})

    @app.get("/api/v1/plans/big")
    async def big() -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            for i in range(64):
                yield bytes([65 + i % 26]) * 16384

        return StreamingResponse(chunks(), media_type="application/octet-stream")

    return app


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        app,
        lifespan="off",
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=2,
        timeout_keep_alive=KEEP_ALIVE,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        await task


@pytest.fixture
def http_gateway(gateway, settings, upstream_client):  # type: ignore[no-untyped-def]
    """``async with http_gateway(**overrides) as (client, runtime, hits)``: the gateway reaching a
    real service over HTTP (plan-registry) and dead ports (the other two)."""
    if upstream_client == "aiohttp":
        pytest.importorskip("aiohttp")  # the optional alternative client

    @asynccontextmanager
    async def make(**overrides):  # type: ignore[no-untyped-def]
        app = service_app(settings.internal_auth_secret.get_secret_value())
        dead = f"http://127.0.0.1:{free_port()}"
        async with serving(app) as port:
            options = {
                "upstreams": {},
                "upstream_client": upstream_client,
                "plan_registry_url": f"http://127.0.0.1:{port}",
                "budget_ledger_url": dead,
                "monitoring_url": dead,
                "upstream_timeout_seconds": TIMEOUT,
                "upstream_retries": 1,
                "upstream_retry_backoff_seconds": 0,
                "circuit_failure_threshold": 4,
                "rate_limit_per_second": 0,
                **overrides,
            }
            async with gateway(**options) as (client, runtime):
                yield client, runtime, app.state.hits

    return make


@pytest.fixture
async def over_http(http_gateway):  # type: ignore[no-untyped-def]
    async with http_gateway() as context:
        yield context


@EVERY_CLIENT
async def test_answers_are_relayed_intact(over_http, bearer):
    client, runtime, _ = over_http
    headers = {**await bearer(runtime, "secretariat", subject="dga"), "X-Request-Id": "r-1"}
    response = await client.post("/api/v1/plans/echo?a=1&b=%E0%B8%81", content="แผน".encode(), headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["sub"] == "dga" and body["query"] == "a=1&b=%E0%B8%81" and body["body"] == "แผน"
    assert body["request_id"] == "r-1"
    assert body["host"].startswith("127.0.0.1:")  # the upstream's own host, not the caller's
    assert response.headers["x-kept"] == "yes" and "x-hop" not in response.headers
    assert response.headers.get_list("x-request-id") == ["r-1"]
    big = await client.get("/api/v1/plans/big")
    assert len(big.content) == 64 * 16384 and big.content[16384:16385] == b"B"


@EVERY_CLIENT
async def test_a_timeout_is_504_after_the_retry(over_http):
    client, _, _ = over_http
    started = time.monotonic()
    response = await client.get("/api/v1/plans/slow")
    assert response.status_code == 504
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["attempts"] == 2
    assert time.monotonic() - started < TIMEOUT * 2 + 1.0  # bounded


@EVERY_CLIENT
async def test_an_answer_that_stalls_before_its_end_is_504_not_a_truncated_200(over_http):
    client, _, _ = over_http
    response = await client.get("/api/v1/plans/stall")
    assert response.status_code == 504
    assert response.json()["upstream"] == "plan-registry"


@DEFAULT_CLIENT
async def test_reads_and_idempotent_writes_are_retried_plain_writes_are_not(over_http, bearer):
    client, runtime, hits = over_http
    secretariat = await bearer(runtime, "secretariat", subject="dga")
    read = await client.get("/api/v1/plans/slow-once/read")
    assert (read.status_code, read.json()) == (200, {"hits": 2})

    keyed = await client.post("/api/v1/plans/slow-once/keyed", headers={**secretariat, "Idempotency-Key": "k-1"})
    assert (keyed.status_code, keyed.json()) == (200, {"hits": 2})

    plain = await client.post("/api/v1/plans/slow-once/plain", headers=secretariat)
    assert plain.status_code == 504
    await asyncio.sleep(TIMEOUT * 3)
    assert hits["plain"] == 1  # sent once: a retry could have doubled the effect


@EVERY_CLIENT
async def test_a_refused_connection_is_502_then_the_circuit_opens_with_503(over_http):
    client, _, _ = over_http
    first = await client.get("/api/v1/monitoring/x")
    assert first.status_code == 502
    assert first.json()["upstream"] == "monitoring"
    assert (await client.get("/api/v1/monitoring/x")).status_code == 502  # 4 failures: the circuit opens
    opened = await client.get("/api/v1/monitoring/x")
    assert opened.status_code == 503
    assert opened.headers["retry-after"] == "5"
    # Other services are unaffected.
    assert (await client.get("/api/v1/plans/echo")).status_code == 200


@DEFAULT_CLIENT
async def test_pooled_connections_survive_heads_closes_and_the_service_dropping_idle_ones(http_gateway, bearer):
    # A generous timeout: on a busy machine a timed-out (and retried) GET would blur the counts.
    async with http_gateway(upstream_timeout_seconds=10) as (client, runtime, _):
        await _exercise_the_pool(client, runtime, bearer)


async def _exercise_the_pool(client, runtime, bearer):  # type: ignore[no-untyped-def]
    secretariat = await bearer(runtime, "secretariat", subject="dga")
    head = await client.head("/api/v1/plans/count")
    assert head.status_code == 200 and head.content == b""
    assert (await client.get("/api/v1/plans/count?close=1")).json() == {"hits": 2}
    assert (await client.get("/api/v1/plans/count")).json() == {"hits": 3}
    await asyncio.sleep(KEEP_ALIVE * 3)  # the service has closed the idle connection meanwhile
    # A plain POST is never retried after a failure, so it must not meet the stale connection.
    posted = await client.post("/api/v1/plans/count", headers=secretariat)
    assert (posted.status_code, posted.json()) == (200, {"hits": 4})
    answers = await asyncio.gather(*(client.get("/api/v1/plans/count") for _ in range(20)))
    assert sorted(a.json()["hits"] for a in answers) == list(range(5, 25))
