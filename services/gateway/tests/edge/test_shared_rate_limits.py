"""Issue 16 item 19: rate limits hold across gateway replicas. On PostgreSQL the buckets are a
table every replica updates atomically, so two gateway processes together allow what one would,
not twice as much; the token-bucket arithmetic is the same pure rule everywhere."""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from dgplan_shared.net import free_port
from dgplan_shared.testing.databases import migrated_database_url
from dgplan_shared.topology import ManagedProcess
from gateway.definition import definition
from gateway.edge.adapters.rate_limit_store import DatabaseRateLimiter, ProcessRateLimiter, build_rate_limiter
from gateway.edge.domain.rate_limit import Limit, spend

BURST = 6
SLOW = 0.001  # tokens per second: nothing refills during a test


def test_spending_refills_for_the_time_passed_capped_at_the_burst():
    limit = Limit(rate=2.0, burst=3)
    assert spend(3.0, 0.0, limit) == (2.0, 0.0)
    assert spend(0.0, 0.25, limit) == (0.5, 0.25)  # half a token: the other half takes 0.25 s
    assert spend(0.5, 0.25, limit) == (0.0, 0.0)
    assert spend(0.0, 1000.0, limit) == (2.0, 0.0)  # never more than the burst
    assert spend(1.0, -5.0, limit) == (0.0, 0.0)  # a clock step back refills nothing


def test_the_store_follows_the_database(tmp_path):
    assert isinstance(build_rate_limiter("auto", f"sqlite+aiosqlite:///{tmp_path}/g.db", 2, 1.0, 5), ProcessRateLimiter)
    assert isinstance(build_rate_limiter("auto", "postgresql+asyncpg://u@h/db", 2, 1.0, 5), DatabaseRateLimiter)
    assert isinstance(build_rate_limiter("process", "postgresql+asyncpg://u@h/db", 2, 1.0, 5), ProcessRateLimiter)
    with pytest.raises(ValueError, match="PostgreSQL"):
        build_rate_limiter("database", f"sqlite+aiosqlite:///{tmp_path}/g.db", 2, 1.0, 5)


@pytest.fixture
async def shared_database(postgres_server, tmp_path) -> str:  # type: ignore[no-untyped-def]
    return await migrated_database_url(
        definition().migrations, "postgres", postgres_server=postgres_server, directory=tmp_path, prefix="gwrate"
    )


class _Unreachable:
    def connect(self):  # type: ignore[no-untyped-def]
        raise AssertionError("a refused caller must not cost a database round trip")


@pytest.mark.postgres
async def test_two_replicas_share_one_allowance_and_refusals_stay_local(shared_database):
    one = DatabaseRateLimiter.for_url(shared_database, 2, SLOW, BURST)
    two = DatabaseRateLimiter.for_url(shared_database, 2, SLOW, BURST)
    try:
        waits = [await (one if i % 2 else two).take("client:mof-erp") for i in range(2 * BURST)]
        assert sum(1 for w in waits if w == 0.0) == BURST
        assert all(w > 0 for w in waits[BURST:])  # the rest refused, each told how long to wait
        assert await one.take("client:opdc") == 0.0  # another client has its own bucket
        engine = one._engine
        one._engine = _Unreachable()  # type: ignore[assignment]
        assert await one.take("client:mof-erp") > 0  # refused again from memory
        one._engine = engine
    finally:
        await one.close()
        await two.close()


def _gateway(name: str, port: int, database_url: str, logs: Path) -> ManagedProcess:
    env = {
        "GATEWAY_DATABASE_URL": database_url,
        "GATEWAY_BUS": "memory",
        "GATEWAY_LOG_LEVEL": "WARNING",
        "GATEWAY_RATE_LIMIT_PER_SECOND": str(SLOW),
        "GATEWAY_RATE_LIMIT_BURST": str(BURST),
    }
    argv = [sys.executable, "-m", "gateway", "api", "--host", "127.0.0.1", "--port", str(port)]
    return ManagedProcess(name, argv, {**_environment(), **env}, logs / f"{name}.log")


def _environment() -> dict[str, str]:
    """This process's environment without any gateway setting a developer may have exported."""
    return {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}


def _wait_healthy(process: ManagedProcess, url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.alive, process.log.read_text()[-2000:]
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{process.name} did not become healthy:\n{process.log.read_text()[-2000:]}")


@pytest.mark.postgres
def test_two_gateway_processes_together_allow_the_limit_once(shared_database, tmp_path):
    ports = [free_port(), free_port()]
    processes = [_gateway(f"gateway-{i}", port, shared_database, tmp_path) for i, port in enumerate(ports)]
    for process in processes:
        process.start()
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for process, url in zip(processes, urls):
            _wait_healthy(process, url)  # /healthz is never limited
        answers = []
        for i in range(2 * BURST):
            url = urls[i % 2]
            answer = httpx.get(f"{url}/.well-known/openid-configuration", timeout=10)
            answers.append(answer.status_code)
            if answer.status_code == 200:  # and each process names the port it serves (item 6)
                assert answer.json()["issuer"] == url
        assert Counter(answers) == {200: BURST, 429: BURST}, answers
    finally:
        for process in processes:
            process.stop()
