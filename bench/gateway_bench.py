"""Gateway overhead: what a proxied GET costs over calling the service directly (DESIGN §7).

Three processes on loopback: a stand-in service (FastAPI with the shared request middleware; it
verifies the forwarded identity like a real service), the gateway proxying to it over HTTP (as in
the distributed topology), and this load generator (aiohttp). For each upstream client the gateway
can use (lean, the default; aiohttp; httpx) it measures:

- latency: sequential requests, direct and proxied interleaved, p50 and p99 of each and of the
  difference (the gateway's added latency);
- throughput: 32 concurrent connections for a few seconds, direct and proxied in alternating slices;
- CPU time per request of the service and of the gateway (from /proc: not skewed by other load).

Run: .venv/bin/python bench/gateway_bench.py [--requests 2000] [--seconds 4] [--clients lean,aiohttp,httpx]
Bounded (well under two minutes), loopback only; prints a table, writes bench/results/gateway.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi import FastAPI, Request  # noqa: E402
from fastapi.responses import ORJSONResponse  # noqa: E402

from bench.common import cpu_seconds, percentile, stop_process, table, write_result  # noqa: E402
from dgplan_shared.testing.infra import free_port, wait_for_port  # noqa: E402

CONNECTIONS = 32
PATH = "/api/v1/plans/DGDP-2563-2565"
SECRET = "bench-only-internal-secret-0123456789abcdef"


# --- the processes under test -------------------------------------------------------------------


def upstream_app() -> FastAPI:
    """A stand-in service: the shared request middleware, identity verification, a small JSON body."""
    from dgplan_shared.http import RequestContextMiddleware
    from dgplan_contracts.identity import IDENTITY_HEADER, verify_identity
    from dgplan_shared.problems import install_problem_handlers

    app = FastAPI(openapi_url=None)
    install_problem_handlers(app)
    app.add_middleware(RequestContextMiddleware, service="bench-upstream")
    plan = {
        "code": "DGDP-2563-2565",
        "title": {"th": "แผนพัฒนารัฐบาลดิจิทัลของประเทศไทย พ.ศ. 2563 - 2565", "en": "Digital Government Development Plan"},
        "start_fy": 2563,
        "end_fy": 2565,
        "budget_framework": "4879870000.00",
    }

    @app.get("/api/v1/plans/{code}")
    async def read(code: str, request: Request) -> ORJSONResponse:
        principal = verify_identity(request.headers[IDENTITY_HEADER], SECRET)
        return ORJSONResponse({**plan, "code": code, "caller": principal.subject})

    return app


def serve(role: str, port: int, upstream_port: int, client: str, database_url: str) -> None:
    import uvicorn

    if role == "upstream":
        app = upstream_app()
    else:
        from dgplan_shared.service import create_service_app
        from gateway.definition import definition
        from gateway.settings import Settings

        upstream = f"http://127.0.0.1:{upstream_port}"
        settings = Settings(
            database_url=database_url,
            internal_auth_secret=SECRET,
            plan_registry_url=upstream,
            budget_ledger_url=upstream,
            monitoring_url=upstream,
            upstream_client=client,
            rate_limit_per_second=1_000_000,  # the limiter still runs on every request, it just never refuses
            rate_limit_burst=1_000_000,
            log_level="WARNING",
        )
        app = create_service_app(definition(), settings)
    uvicorn.run(
        app, host="127.0.0.1", port=port, loop="uvloop", http="httptools", access_log=False, log_level="warning"
    )


# --- the load generator ---------------------------------------------------------------------------


async def _get(session, url: str, headers: dict[str, str]) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    async with session.get(url, headers=headers) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status} {await response.text()}")
    return time.perf_counter() - started


async def latency(direct: str, proxied: str, identity: dict[str, str], n: int) -> dict[str, list[float]]:
    import aiohttp

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=2)) as session:
        for _ in range(200):  # warm up both paths (connections, caches)
            await _get(session, direct, identity)
            await _get(session, proxied, {})
        d, p = [], []
        for _ in range(n):  # interleaved, so drift in machine load hits both alike
            d.append(await _get(session, direct, identity))
            p.append(await _get(session, proxied, {}))
    return {"direct": d, "proxied": p}


@dataclass
class Load:
    requests: int = 0
    seconds: float = 0.0
    cpu: float = 0.0  # CPU seconds of the measured server process
    samples: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_per_request(self) -> float:
        return self.cpu / self.requests


async def throughput(
    direct: str, proxied: str, identity: dict[str, str], seconds: float, pids: tuple[int, int], slices: int = 8
) -> tuple[Load, Load]:
    """32 connections, direct and proxied in alternating slices, so that other load on the machine
    weighs on both alike."""
    import aiohttp

    loads = (Load(), Load())
    targets = ((direct, identity), (proxied, {}))
    connector = aiohttp.TCPConnector(limit=CONNECTIONS * 2)
    async with aiohttp.ClientSession(connector=connector) as session:
        for url, headers in targets:
            for _ in range(CONNECTIONS * 4):
                await _get(session, url, headers)
        for _ in range(slices):
            for (url, headers), load, pid in zip(targets, loads, pids):
                deadline = time.perf_counter() + seconds / slices

                async def worker() -> None:
                    while time.perf_counter() < deadline:
                        load.samples.append(await _get(session, url, headers))  # noqa: B023 - awaited here
                        load.requests += 1  # noqa: B023

                cpu_before, started = cpu_seconds(pid), time.perf_counter()
                await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
                load.seconds += time.perf_counter() - started
                load.cpu += cpu_seconds(pid) - cpu_before
    return loads


def _spawn(
    role: str, port: int, upstream_port: int = 0, client: str = "aiohttp", database_url: str = ""
) -> subprocess.Popen:
    args = [
        sys.executable,
        __file__,
        "--serve",
        role,
        "--port",
        str(port),
        "--upstream-port",
        str(upstream_port),
        "--client",
        client,
        "--database-url",
        database_url,
    ]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for_port(port, 30, process)
    return process


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def run(
    requests: int = 2000, seconds: float = 4.0, clients: tuple[str, ...] = ("lean", "aiohttp", "httpx")
) -> list[dict[str, object]]:
    from dgplan_shared.db.migrations import upgrade
    from dgplan_contracts.identity import IDENTITY_HEADER, Principal, sign_identity

    identity = {IDENTITY_HEADER: sign_identity(Principal("anonymous", frozenset({"public"})), SECRET, ttl_seconds=3600)}
    rows: list[dict[str, object]] = [
        {
            "metric": "machine load average (1 min) at start; other work skews all figures",
            "value": round(os.getloadavg()[0], 2),
            "unit": "",
            "target": "-",
            "meets": None,
        }
    ]
    upstream_port = free_port()
    upstream = _spawn("upstream", upstream_port)
    try:
        direct = f"http://127.0.0.1:{upstream_port}{PATH}"
        with tempfile.TemporaryDirectory() as tmp:
            database_url = f"sqlite+aiosqlite:///{tmp}/gateway.db"
            upgrade("gateway:migrations", database_url)
            for client in clients:
                port = free_port()
                gateway = _spawn("gateway", port, upstream_port, client, database_url)
                try:
                    proxied = f"http://127.0.0.1:{port}{PATH}"
                    lat = asyncio.run(latency(direct, proxied, identity, requests))
                    direct_load, proxied_load = asyncio.run(
                        throughput(direct, proxied, identity, seconds, (upstream.pid, gateway.pid))
                    )
                    direct_rps, proxied_rps = direct_load.rate, proxied_load.rate
                    proxied_samples = proxied_load.samples
                    upstream_cpu, gateway_cpu = direct_load.cpu_per_request, proxied_load.cpu_per_request
                finally:
                    stop_process(gateway)
                added_p50 = percentile(lat["proxied"], 50) - percentile(lat["direct"], 50)
                added_p99 = percentile(lat["proxied"], 99) - percentile(lat["direct"], 99)
                ratio = proxied_rps / direct_rps
                chosen = " (default)" if client == "lean" else ""
                rows += [
                    {
                        "metric": f"[{client}{chosen}] direct GET p50 / p99, ms",
                        "value": f"{ms(percentile(lat['direct'], 50))} / {ms(percentile(lat['direct'], 99))}",
                        "unit": "ms",
                        "target": "-",
                        "meets": None,
                    },
                    {
                        "metric": f"[{client}{chosen}] proxied GET p50 / p99, ms",
                        "value": f"{ms(percentile(lat['proxied'], 50))} / {ms(percentile(lat['proxied'], 99))}",
                        "unit": "ms",
                        "target": "-",
                        "meets": None,
                    },
                    {
                        "metric": f"[{client}{chosen}] gateway adds, p50",
                        "value": ms(added_p50),
                        "unit": "ms",
                        "target": "<= 1.5 ms",
                        "meets": added_p50 <= 0.0015,
                    },
                    {
                        "metric": f"[{client}{chosen}] gateway adds, p99",
                        "value": ms(added_p99),
                        "unit": "ms",
                        "target": "<= 5 ms",
                        "meets": added_p99 <= 0.005,
                    },
                    {
                        "metric": f"[{client}{chosen}] direct throughput, {CONNECTIONS} connections",
                        "value": round(direct_rps, 1),
                        "unit": "req/s",
                        "target": "-",
                        "meets": None,
                    },
                    {
                        "metric": f"[{client}{chosen}] proxied throughput, {CONNECTIONS} connections",
                        "value": round(proxied_rps, 1),
                        "unit": "req/s",
                        "target": ">= 1,500 req/s",
                        "meets": proxied_rps >= 1500,
                    },
                    {
                        "metric": f"[{client}{chosen}] proxied / direct throughput",
                        "value": round(ratio * 100, 1),
                        "unit": "%",
                        "target": ">= 50 %",
                        "meets": ratio >= 0.5,
                    },
                    {
                        "metric": f"[{client}{chosen}] CPU per request: service / gateway",
                        "unit": "us",
                        "value": f"{round(upstream_cpu * 1e6)} / {round(gateway_cpu * 1e6)}",
                        "target": "-",
                        "meets": None,
                    },
                    {
                        "metric": f"[{client}{chosen}] proxied p99 at {CONNECTIONS} connections",
                        "value": ms(percentile(proxied_samples, 99)),
                        "unit": "ms",
                        "target": "-",
                        "meets": None,
                    },
                ]
    finally:
        stop_process(upstream)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="sequential requests per path for latency")
    parser.add_argument("--seconds", type=float, default=4.0, help="seconds of load per throughput run")
    parser.add_argument("--clients", default="lean,aiohttp,httpx", help="upstream clients to measure")
    parser.add_argument("--serve", choices=["upstream", "gateway"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--upstream-port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--client", default="aiohttp", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.upstream_port, args.client, args.database_url)
        return
    os.environ.setdefault("DGPLAN_LOG_LEVEL", "WARNING")
    rows = run(args.requests, args.seconds, tuple(c for c in args.clients.split(",") if c))
    print(table(rows))
    print(f"\nwritten to {write_result('gateway', rows)}")


if __name__ == "__main__":
    main()
