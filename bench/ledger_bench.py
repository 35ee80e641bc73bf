"""Budget-ledger benchmark on PostgreSQL, through the HTTP API of a real server process.

    DGPLAN_TEST_POSTGRES_URL=postgresql+asyncpg://... .venv/bin/python bench/ledger_bench.py

Measures (DESIGN §7 targets: ≥ 1,000 postings/s with p99 ≤ 50 ms, also on one hot appropriation;
a 10,000-request screening round summarized in ≤ 50 ms p95):

- single postings (one entry per POST /api/v1/budget/postings) at 32 connections, spread over many
  appropriations and all on one hot appropriation;
- batched postings (POST /api/v1/budget/postings/batch, 50 entries each), spread and hot;
- GET /api/v1/screening/rounds/{id}/status (and per strategy / per agency) on a round of 10,000
  requests.

The API runs in its own uvicorn process (uvloop, httptools); the load generator is this process
(aiohttp), on the same machine. Set-up data (plan, projects, approvals, the 10,000 requests) is
written directly through the ledger's own use cases and tables: it is not what is measured.
Prints a table and writes bench/results/ledger.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp  # noqa: E402

from bench.common import drop_database, percentile, table, write_result  # noqa: E402
from dgplan_shared.testing.infra import free_port, wait_for_port  # noqa: E402

SECRET = "bench-only-internal-secret-0123456789abcdef"
CONNECTIONS = 32
PROJECTS = 100
BATCH_SIZE = 50
STATUS_REQUESTS = 10_000


# --- set-up ---------------------------------------------------------------------------------------


async def create_database(server_url: str) -> str:
    from dgplan_shared.db.migrations import upgrade
    from dgplan_shared.testing.databases import create_postgres_database

    url = await create_postgres_database(server_url, "ledger_bench")
    await asyncio.to_thread(upgrade, "budget_ledger:migrations", url)
    return url


def _record(event_type: str, subject: str, data: dict, offset: int):  # type: ignore[no-untyped-def]
    from dgplan_shared.bus.base import IncomingRecord
    from dgplan_shared.events import CloudEvent, topic_for

    event = CloudEvent.new("plan-registry", event_type, subject, data)
    return IncomingRecord(topic_for(event_type), 0, offset, subject, event.to_json())


async def seed(url: str) -> dict:
    """Plan structure and projects through the consumer path; large approvals and allocations."""
    from budget_ledger.definition import definition
    from budget_ledger.events.types import PLAN_STRUCTURE_PUBLISHED, PROJECT_REGISTERED
    from budget_ledger.adapters.ledger_repository import post
    from budget_ledger.domain.postings import AppropriationKey, Posting
    from budget_ledger.settings import Settings
    from dgplan_shared.bus.memory import InMemoryBus
    from dgplan_shared.service import build_runtime

    runtime = build_runtime(definition(), Settings(database_url=url, bus="memory"), bus=InMemoryBus())
    consumer = runtime.consumer()
    strategies = [("S1", "4879870000.00"), ("S2", "518460000.00"), ("S3", "946360000.00"), ("S4", "160000000.00")]
    await consumer.handle_record(_record(PLAN_STRUCTURE_PUBLISHED, "plan-bench", {
        "plan_id": "plan-bench", "plan_code": "DGDP-2563-2565", "version_id": "v1", "start_fy": 2563, "end_fy": 2565,
        "budget_framework": "6504690000.00",
        "strategies": [{"strategy_id": f"s-{c}", "code": c, "number": i + 1, "title": {"th": c, "en": c}, "budget_framework": a}
                       for i, (c, a) in enumerate(strategies)],
    }, 0))
    projects = []
    for i in range(PROJECTS):
        project_id, strategy = f"bench-p{i:03d}", f"s-S{i % 4 + 1}"
        await consumer.handle_record(_record(PROJECT_REGISTERED, project_id, {
            "project_id": project_id, "code": project_id, "plan_id": "plan-bench", "strategy_id": strategy,
            "title": {"th": f"โครงการ {i}", "en": f"Project {i}"}, "lead_agency": "MOF", "agencies": [],
            "start_fy": 2563, "end_fy": 2565, "status": "registered"}, i + 1))
        projects.append((project_id, strategy))
    big = Decimal("1000000000.00")
    async with runtime.uow() as uow:
        postings = [
            Posting(AppropriationKey("plan-bench", strategy, project_id, 2565, category), stage, big, agency="MOF")
            for project_id, strategy in projects
            for category in ("investment", "operating")
            for stage in ("requested", "recommended", "approved", "allocated")
        ]
        await post(uow.session, postings, "bench-setup")
        await uow.commit()
    round_id = await seed_round(runtime, projects)
    await runtime.db.dispose()
    return {"projects": [p for p, _ in projects], "round_id": round_id}


async def seed_round(runtime, projects) -> str:  # type: ignore[no-untyped-def]
    """A FY 2565 round with 10,000 requests in every state, written in bulk with their running totals
    (as the use cases would keep them)."""
    import sqlalchemy

    from budget_ledger.adapters.tables import screening_requests, screening_tallies
    from budget_ledger.application import open_round
    from dgplan_shared.db.types import utcnow

    now = utcnow()
    async with runtime.uow() as uow:
        rnd = await open_round.handle(open_round.OpenRound("plan-bench", 2565, Decimal("9000000000.00"), now + timedelta(days=7),
                                                           now + timedelta(days=14), opened_by="bench"), uow)
        await uow.commit()
    rng = random.Random(2565)
    agencies = ["MOF", "OPDC", "OAE", "DEPA", "MDES", "NSTDA", "ONDE", "DGA"]
    decisions = [None, None, "recommend-full", "recommend-reduced", "defer", "reject", "return"]
    rows = []
    for i in range(STATUS_REQUESTS):
        requested = Decimal(rng.randint(100_000, 50_000_000))
        decision = rng.choice(decisions)
        recommended = requested if decision == "recommend-full" else (requested / 2 if decision == "recommend-reduced" else 0)
        rows.append({
            "request_id": str(uuid.uuid4()), "round_id": rnd["round_id"], "project_id": f"status-p{i:05d}",
            "plan_id": "plan-bench", "strategy_id": f"s-S{i % 4 + 1}", "agency": agencies[i % len(agencies)],
            "fiscal_year": 2565, "requested_total": requested, "recommended_total": Decimal(recommended).quantize(Decimal("0.01")),
            "approved_total": Decimal(0), "decision": decision, "rank": i + 1 if decision else None, "priority": 1,
            "multi_year": False, "justification": "เหตุผลประกอบคำขอ", "alignment": None,
            "amounts": f'{{"investment":"{requested}.00"}}', "recommended_amounts": None, "version": 1,
            "submitted_by": "bench", "submitted_at": now, "decided_at": now if decision else None,
        })
    tallies: dict[tuple, list] = {}
    for row in rows:
        t = tallies.setdefault((row["strategy_id"], row["agency"], row["decision"] or "unscreened"), [0, Decimal(0), Decimal(0)])
        t[0] += 1
        t[1] += row["requested_total"]
        t[2] += row["recommended_total"]
    async with runtime.uow() as uow:
        for start in range(0, len(rows), 1000):
            await uow.session.execute(screening_requests.insert(), rows[start:start + 1000])
        await uow.session.execute(screening_tallies.insert(), [
            {"round_id": rnd["round_id"], "strategy_id": k[0], "agency": k[1], "decision": k[2], "request_count": v[0],
             "requested": v[1], "recommended": v[2], "approved": Decimal(0)} for k, v in tallies.items()])
        await uow.commit()
    async with runtime.db.engine.connect() as conn:  # fresh statistics, as autovacuum would keep them
        await (await conn.execution_options(isolation_level="AUTOCOMMIT")).execute(sqlalchemy.text("ANALYZE"))
    return rnd["round_id"]


def app_factory():  # type: ignore[no-untyped-def]
    """The ledger's app as ``dgplan-budget-ledger api`` builds it (for uvicorn --factory --workers)."""
    from budget_ledger.definition import definition
    from dgplan_shared.logging import configure_logging
    from dgplan_shared.service import create_service_app

    d = definition()
    settings = d.settings_type()
    configure_logging(d.name, settings.log_level, settings.log_json)
    return create_service_app(d, settings)


def start_api(url: str, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "BUDGET_LEDGER_DATABASE_URL": url,
        "BUDGET_LEDGER_DATABASE_POOL_SIZE": str(CONNECTIONS),
        "BUDGET_LEDGER_INTERNAL_AUTH_SECRET": SECRET,
        "BUDGET_LEDGER_LOG_LEVEL": "WARNING",
    }
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", "uvicorn", "bench.ledger_bench:app_factory", "--factory", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), "--loop", "uvloop", "--http", "httptools",
               "--no-access-log", "--log-level", "warning"]
    process = subprocess.Popen(command, env=env)
    wait_for_port(port, 30, process)
    return process


def identity(roles: set[str], agency: str | None = None, bodies: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    from dgplan_contracts.assertion import sign_identity
    from dgplan_contracts.identity import Principal

    return sign_identity(Principal("bench", frozenset(roles), agency=agency, bodies=frozenset(bodies)), SECRET, ttl_seconds=3600)


# --- load -------------------------------------------------------------------------------------------


def cpu_seconds(root_pid: int) -> float:
    """User + system CPU of the API server process and its worker children (Linux /proc).

    On a shared, busy machine wall-clock throughput says more about the neighbours than about the
    code; CPU per posting does not (it excludes PostgreSQL's own CPU).
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == root_pid or ppid == root_pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


async def run_load(base: str, make_request, total: int, connections: int):  # type: ignore[no-untyped-def]
    """``total`` requests over ``connections`` workers; returns (wall seconds, latencies ms, status counts).

    Each phase opens its own connections: the server closes idle keep-alive connections between phases.
    """
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections)) as session:
        return await _load(session, base, make_request, total, connections)


async def _load(session: aiohttp.ClientSession, base: str, make_request, total: int, connections: int):  # type: ignore[no-untyped-def]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = iter(range(total))

    async def worker() -> None:
        for i in counter:
            method, path, body, headers = make_request(i)
            started = time.perf_counter()
            async with session.request(method, base + path, json=body, headers=headers) as response:
                await response.read()
                statuses[response.status] = statuses.get(response.status, 0) + 1
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return time.perf_counter() - started, latencies, statuses


def posting(project: str, category: str) -> dict:
    return {"project_id": project, "fiscal_year": 2565, "expense_category": category, "stage": "committed", "amount": "0.01"}


async def measure(base: str, seeded: dict, postings: int, status_calls: int, server_pid: int) -> list[dict]:
    agency = {"x-dgplan-identity": identity({"agency"}, agency="MOF")}
    member = {"x-dgplan-identity": identity({"body_member"}, bodies={"operations-budget-subcommittee"})}
    projects = seeded["projects"]
    rng = random.Random(7)
    run = uuid.uuid4().hex[:6]
    rows: list[dict] = []

    def single(spread: bool, tag: str):  # type: ignore[no-untyped-def]
        def make(i: int):  # type: ignore[no-untyped-def]
            project = rng.choice(projects) if spread else projects[0]
            category = rng.choice(("investment", "operating")) if spread else "investment"
            return "POST", "/api/v1/budget/postings", posting(project, category), {**agency, "Idempotency-Key": f"{run}-{tag}-{i}"}
        return make

    def batch(spread: bool, tag: str):  # type: ignore[no-untyped-def]
        def make(i: int):  # type: ignore[no-untyped-def]
            entries = [posting(rng.choice(projects) if spread else projects[0],
                               rng.choice(("investment", "operating")) if spread else "investment") for _ in range(BATCH_SIZE)]
            return "POST", "/api/v1/budget/postings/batch", {"entries": entries}, {**agency, "Idempotency-Key": f"{run}-{tag}-{i}"}
        return make

    await run_load(base, single(True, "warm"), 300, CONNECTIONS)
    for label, spread in (("spread over 200 appropriations", True), ("one hot appropriation", False)):
        cpu = cpu_seconds(server_pid)
        wall, lat, statuses = await run_load(base, single(spread, f"s{spread}"), postings, CONNECTIONS)
        cpu = cpu_seconds(server_pid) - cpu
        ok = statuses.get(201, 0)
        rows += [
            {"metric": f"API CPU per single posting, {label}", "value": round(cpu / max(ok, 1) * 1000, 2), "unit": "ms",
             "target": "", "meets": None},
            {"metric": f"single postings/s, {label}", "value": round(ok / wall, 1), "unit": "post/s", "target": ">= 1000",
             "meets": ok / wall >= 1000, "statuses": statuses},
            {"metric": f"single posting p50, {label}", "value": round(percentile(lat, 50), 2), "unit": "ms", "target": "", "meets": None},
            {"metric": f"single posting p99, {label}", "value": round(percentile(lat, 99), 2), "unit": "ms", "target": "<= 50",
             "meets": percentile(lat, 99) <= 50},
        ]
    for label, spread in (("spread over 200 appropriations", True), ("one hot appropriation", False)):
        requests = max(postings // BATCH_SIZE, 20)
        cpu = cpu_seconds(server_pid)
        wall, lat, statuses = await run_load(base, batch(spread, f"b{spread}"), requests, 8)
        cpu = cpu_seconds(server_pid) - cpu
        ok = statuses.get(201, 0) * BATCH_SIZE
        rows += [
            {"metric": f"API CPU per batched posting, {label}", "value": round(cpu / max(ok, 1) * 1000, 3), "unit": "ms",
             "target": "", "meets": None},
            {"metric": f"batched postings/s ({BATCH_SIZE}/request, 8 conn), {label}", "value": round(ok / wall, 1),
             "unit": "post/s", "target": ">= 1000", "meets": ok / wall >= 1000, "statuses": statuses},
            {"metric": f"batch request p99 ({BATCH_SIZE} entries), {label}", "value": round(percentile(lat, 99), 2),
             "unit": "ms", "target": "", "meets": None},
        ]

    round_id = seeded["round_id"]
    for label, path in (("round", f"/api/v1/screening/rounds/{round_id}/status"),
                        ("per strategy", f"/api/v1/screening/rounds/{round_id}/status/strategies"),
                        ("per agency", f"/api/v1/screening/rounds/{round_id}/status/agencies"),
                        ("one strategy", f"/api/v1/screening/rounds/{round_id}/status?strategy_id=s-S2")):
        await run_load(base, lambda i: ("GET", path, None, member), 20, 1)
        wall, lat, statuses = await run_load(base, lambda i: ("GET", path, None, member), status_calls, 1)
        assert statuses == {200: status_calls}, statuses
        rows += [
            {"metric": f"status {label}, {STATUS_REQUESTS:,} requests, p50", "value": round(percentile(lat, 50), 2),
             "unit": "ms", "target": "", "meets": None},
            {"metric": f"status {label}, {STATUS_REQUESTS:,} requests, p95", "value": round(percentile(lat, 95), 2),
             "unit": "ms", "target": "<= 50", "meets": percentile(lat, 95) <= 50},
        ]
    async with aiohttp.ClientSession() as session:
        async with session.get(base + f"/api/v1/screening/rounds/{round_id}/status", headers=member) as response:
            body = await response.json()
            assert body["request_count"] == STATUS_REQUESTS, body
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=3000, help="single postings per scenario")
    parser.add_argument("--status-calls", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1, help="API server processes (uvicorn workers)")
    args = parser.parse_args()
    server_url = os.environ.get("DGPLAN_TEST_POSTGRES_URL")
    if not server_url:
        sys.exit("set DGPLAN_TEST_POSTGRES_URL (e.g. source .infra/dev/env)")

    url = asyncio.run(create_database(server_url))
    process = None
    try:
        seeded = asyncio.run(seed(url))
        port = free_port()
        process = start_api(url, port, args.workers)
        rows = asyncio.run(measure(f"http://127.0.0.1:{port}", seeded, args.postings, args.status_calls, process.pid))
    finally:
        if process is not None:
            process.terminate()
            process.wait(10)
        asyncio.run(drop_database(server_url, url))
    rows.insert(0, {"metric": "API server processes (uvicorn workers)", "value": args.workers, "unit": "", "target": "", "meets": None})
    rows.insert(1, {"metric": "machine load average (1 min) at the end", "value": round(os.getloadavg()[0], 2), "unit": "",
                    "target": "", "meets": None})
    print(table(rows))
    for row in rows:
        if "statuses" in row:
            row["statuses"] = {str(k): v for k, v in row["statuses"].items()}
    print(f"\nwritten {write_result('ledger', rows)}")


if __name__ == "__main__":
    main()
