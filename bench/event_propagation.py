"""Event propagation over real Kafka: from a disbursement committed by the budget ledger to the
monitoring read model holding it, on the distributed topology (separate processes for the
ledger API, the ledger's relay, Kafka, monitoring's consumer, and PostgreSQL).

The clock starts when the ledger's API has answered 201 (its transaction is committed) and stops
when the entry is visible in monitoring's database (polled every 2 ms).

Run: .venv/bin/python bench/event_propagation.py [--samples 200]   (needs DGPLAN_TEST_POSTGRES_URL
and DGPLAN_TEST_KAFKA_BOOTSTRAP, or run it through `make bench`)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile, table, write_result  # noqa: E402
from dgplan_shared.topology import Topology  # noqa: E402
from tests.e2e.conftest import Gateway, eventually  # noqa: E402

SECRETARIAT, MOF, CHAIR = "demo-secretariat", "demo-agency-mof", "demo-obs-chair"


async def funded_project(gw: Gateway) -> str:
    """A MOF project with an approved FY 2565 allocation, made the way users make one."""
    plan_id = (await gw.get("/api/v1/plans", SECRETARIAT, params={"q": "DGDP-2563-2565"})).json()["items"][0]["id"]
    draft = await gw.post(f"/api/v1/plans/{plan_id}/versions", SECRETARIAT, json={})
    version = draft.json()["id"] if draft.status_code == 201 else draft.json()["draft_version_id"]
    nodes = (await gw.get(f"/api/v1/plans/{plan_id}/versions/{version}/nodes", SECRETARIAT,
                          params={"limit": 200})).json()["items"]
    measure = next(n["id"] for n in nodes if n["code"] == "S1-M1")
    project = (await gw.post("/api/v1/projects", MOF, json={
        "plan_id": plan_id, "parent_id": measure, "code": "S1-BENCH", "roles": [{"agency": "MOF", "role": "lead"}],
        "name": {"th": "โครงการทดสอบสมรรถนะ", "en": "Benchmark project"}, "start_fy": 2565, "end_fy": 2565,
    })).json()["id"]
    now = datetime.now(timezone.utc)
    round_id = (await gw.post("/api/v1/screening/rounds", SECRETARIAT, json={
        "plan_id": plan_id, "fiscal_year": 2565, "ceiling": "1000000000.00", "title": "bench",
        "submission_deadline": (now + timedelta(days=7)).isoformat(),
        "decision_deadline": (now + timedelta(days=14)).isoformat()})).json()["round_id"]

    async def submitted():  # type: ignore[no-untyped-def]
        r = await gw.post(f"/api/v1/screening/rounds/{round_id}/requests", MOF, json={
            "project_id": project, "amounts": {"operating": "500000000.00"}, "justification": "bench",
            "priority": 1, "multi_year": False})
        return r.json()["request_id"] if r.status_code == 201 else None

    request_id = await eventually(submitted, 60, "the ledger to know the project")
    await gw.post(f"/api/v1/screening/requests/{request_id}/decisions", CHAIR,
                  json={"decision": "recommend-full", "reason": "bench", "rank": 1,
                        "meeting": {"title": "ครั้งที่ 1/2564", "held_on": "2021-11-15"}})
    await gw.post(f"/api/v1/screening/rounds/{round_id}/package", CHAIR, json={})

    async def at_committee():  # type: ignore[no-untyped-def]
        items = (await gw.get("/api/v1/governance/instances", SECRETARIAT, params={"round_id": round_id})).json()["items"]
        return items[0]["id"] if items and items[0]["stage"] == "committee-approval" else None

    instance = await eventually(at_committee, 60, "the package at the committee")
    for member in ("demo-dgc-member-1", "demo-dgc-chair"):
        await gw.post(f"/api/v1/governance/instances/{instance}/votes", member, json={"choice": "approve", "reason": "b"})

    async def allocated():  # type: ignore[no-untyped-def]
        items = (await gw.get("/api/v1/budget/balances", SECRETARIAT,
                              params={"project_id": project, "group_by": "project"})).json()["items"]
        return items and items[0]["balances"]["allocated"] != "0.00"

    await eventually(allocated, 60, "the allocation")
    return project


async def _connect(database_url: str) -> asyncpg.Connection:
    url = make_url(database_url)
    return await asyncpg.connect(user=url.username, password=url.password, host=url.host, port=url.port,
                                 database=url.database)


async def disbursements_reaching_monitoring(gw: Gateway, topology: Topology, project: str, samples: int) -> list[float]:
    """``samples`` disbursements one after another: for each, ms from the ledger's 201 to the entry
    in monitoring's database."""
    monitoring = await _connect(topology.services["monitoring"].database_url)
    try:
        committed = await gw.post("/api/v1/budget/postings", MOF, json={
            "project_id": project, "fiscal_year": 2565, "expense_category": "operating",
            "stage": "committed", "amount": "100000000.00"})
        assert committed.status_code == 201, committed.text
        latencies = []
        for _ in range(samples):
            response = await gw.post("/api/v1/budget/postings", MOF, json={
                "project_id": project, "fiscal_year": 2565, "expense_category": "operating",
                "stage": "disbursed", "amount": "1000.00"})
            started = time.perf_counter()
            assert response.status_code == 201, response.text
            entry_id = response.json()["entry_id"]
            while not await monitoring.fetchval("SELECT 1 FROM rm_budget_entries WHERE entry_id = $1", entry_id):
                if time.perf_counter() - started > 30:
                    raise RuntimeError(f"entry {entry_id} never reached monitoring")
                await asyncio.sleep(0.002)
            latencies.append((time.perf_counter() - started) * 1000)
        return latencies
    finally:
        await monitoring.close()


async def hops(topology: Topology, since: datetime) -> dict[str, list[float]]:
    """Where the time of each event went, from the rows themselves: the ledger's outbox row
    (written in the posting's transaction, then marked when Kafka acknowledged it) and monitoring's
    inbox row (written in the transaction that applied it). All processes share one clock."""
    ledger = await _connect(topology.services["budget-ledger"].database_url)
    monitoring = await _connect(topology.services["monitoring"].database_url)
    try:
        sent = {r["event_id"]: r for r in await ledger.fetch(
            "SELECT event_id, created_at, published_at FROM outbox WHERE created_at >= $1 AND published_at IS NOT NULL",
            since)}
        applied = {r["event_id"]: r["processed_at"] for r in await monitoring.fetch(
            "SELECT event_id, processed_at FROM inbox WHERE event_id = ANY($1::text[])", list(sent))}
    finally:
        await ledger.close()
        await monitoring.close()
    # The outbox row's created_at is taken inside the posting's transaction, published_at after
    # Kafka acknowledged the batch: the first hop is the API's commit, the relay's wake-up and the
    # broker's acknowledgement; the second, what is left once the relay has marked it.
    out: dict[str, list[float]] = {"outbox row -> acknowledged by Kafka": [], "acknowledged -> applied": []}
    for event_id, at in applied.items():
        row = sent[event_id]
        out["outbox row -> acknowledged by Kafka"].append((row["published_at"] - row["created_at"]).total_seconds() * 1000)
        out["acknowledged -> applied"].append((at - row["published_at"]).total_seconds() * 1000)
    return out


async def measure(samples: int) -> tuple[list[float], dict[str, list[float]]]:
    server = os.environ["DGPLAN_TEST_POSTGRES_URL"]
    with tempfile.TemporaryDirectory() as base:
        topology = Topology(Path(base), server, os.environ["DGPLAN_TEST_KAFKA_BOOTSTRAP"],
                            topic_prefix=f"bench{uuid.uuid4().hex[:6]}-")
        await topology.prepare()
        topology.start()
        gw: Gateway | None = None
        try:
            await asyncio.to_thread(topology.wait_healthy, 90)
            gw = Gateway(topology)
            project = await funded_project(gw)
            since = datetime.now(timezone.utc)
            latencies = await disbursements_reaching_monitoring(gw, topology, project, samples)
            return latencies, await hops(topology, since)
        finally:
            if gw is not None:
                await gw.http.aclose()
            topology.stop()


# Issue 18: half of the 54 ms measured before the relays woke on commit (they polled every 50 ms).
P95_TARGET_MS = 27.0


def run(samples: int = 200) -> list[dict[str, object]]:
    latencies, breakdown = asyncio.run(measure(samples))
    p50, p95, p99 = (percentile(latencies, p) for p in (50, 95, 99))
    parts = [
        {"metric": f"of which {hop}, p{p} (n={len(values)})", "value": round(percentile(values, p), 1), "unit": "ms",
         "target": "-", "meets": None}
        for hop, values in breakdown.items() if values for p in (50, 95)
    ]
    return [
        {"metric": f"ledger commit -> monitoring read model over Kafka, p50 (n={samples})", "value": round(p50, 1),
         "unit": "ms", "target": "-", "meets": None},
        {"metric": f"ledger commit -> monitoring read model over Kafka, p95 (n={samples})", "value": round(p95, 1),
         "unit": "ms", "target": f"<= {P95_TARGET_MS:g} ms", "meets": p95 <= P95_TARGET_MS},
        {"metric": f"ledger commit -> monitoring read model over Kafka, p99 (n={samples})", "value": round(p99, 1),
         "unit": "ms", "target": "-", "meets": None},
        *parts,
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=200)
    rows = run(parser.parse_args().samples)
    write_result("event_propagation", rows)
    print(table(rows))


if __name__ == "__main__":
    main()
