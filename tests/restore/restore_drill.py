"""The backup-and-restore drill (issue 18), end to end on the distributed topology.

1. Every service's API, relay and consumer run on PostgreSQL and Kafka; a bounded load goes
   through the gateway (the fault suite's workload sets the scene, then steady registrations and
   postings, each recorded with the moment it was acknowledged).
2. While that load runs, each service's database is dumped (``pg_dump --format=custom``),
   consumers before their producers (``DUMP_ORDER``), so a read model's dump never holds an event
   its owner's dump does not.
3. The load goes on a little, then every process is killed at once: the failure. The old
   databases are never used again (only read, to count what they held that the dumps did not).
4. Recovery: a fresh PostgreSQL cluster, every dump restored with ``pg_restore``, the services
   pointed at it; every consumer group moved to the end of its topics and every owner's outbox
   marked unpublished, so the read models receive exactly what the restored owners hold (events of
   lost writes stay unconsumed on the topics); the topology starts, drains, and monitoring rebuilds
   its read models from its consumed-event history.
5. Reconciliation: money per appropriation (ledger against monitoring) and projects (registry
   against monitoring) exactly, every scene operation once (the fault suite's reconciliation), the
   gateway's audit chain verified; the recovery point (what the dumps lost) and the recovery time
   (restore, replay, rebuild) reported.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from dgplan_shared.testing.infra import InfraUnavailable, PostgresCluster, pg_bindir
from dgplan_shared.testing.plugin import require_infra
from dgplan_shared.topology import Topology
from drill_backup import Dump, drop_database, dump_database, restore_database
from drill_figures import recovery_point
from drill_load import STEADY_AMOUNT, SteadyLoad, prepare_scene
from drill_offsets import move_group_to_end, republish_outbox
from drill_reconcile import compare, observe, tampered
from fault_client import GatewayClient
from fault_reconcile import Databases, reconcile
from fault_workload import POSTING_FY, Workload

# Consumers before their producers: notifications consumes everyone; monitoring the registry and
# the ledger; the gateway the registry and the ledger. The gateway's governance decisions close a
# cycle with the ledger and the registry; the steady load makes no decision, and the drill checks
# that no consumer holds an event no restored owner has.
DUMP_ORDER = ("notifications", "monitoring", "gateway", "budget-ledger", "plan-registry")
DRAIN_SECONDS = 120
READ_MODEL_TABLES = ("rm_budget_entries", "rm_projects", "rm_plans", "rm_strategies", "rm_approved_projects")


@dataclass(frozen=True)
class DrillSize:
    projects: int  # of the scene (requests, decisions, allocations)
    steady_writes: int  # at most, after the scene
    writes_before_dump: int  # the dumps start once this many steady writes were acknowledged
    after_dump_seconds: float  # the load goes on this long after the dumps, before the failure
    time_bound: float  # seconds for the whole load; the client gives up after it


SHORT = DrillSize(projects=4, steady_writes=80, writes_before_dump=20, after_dump_seconds=1.5, time_bound=90)
LONG = DrillSize(projects=20, steady_writes=4000, writes_before_dump=2000, after_dump_seconds=20, time_bound=480)


async def find_headroom(db: Databases, postings: int) -> list[dict]:
    """Allocations with room for every steady commitment, whichever lane posts them."""
    need = int(STEADY_AMOUNT * 100) * postings
    rows = await db.rows("budget-ledger", "SELECT project_id, expense_category, agency FROM appropriations "
                         "WHERE fiscal_year = :fy AND allocated - committed >= :need ORDER BY id",
                         fy=POSTING_FY, need=need)
    assert rows, "the scene allocated no budget with room for the steady commitments (try another seed)"
    return rows


async def wait_for(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} within {timeout}s")
        await asyncio.sleep(0.05)


def run_command(topology: Topology, service: str, *args: str) -> subprocess.CompletedProcess:
    svc = topology.services[service]
    return subprocess.run([sys.executable, "-m", svc.module, *args], env=topology.env_for(svc),
                          capture_output=True, text=True, timeout=300)


async def read_models(db: Databases) -> dict[str, list[dict]]:
    return {t: sorted((await db.rows("monitoring", f"SELECT * FROM {t}")), key=repr) for t in READ_MODEL_TABLES}


@dataclass
class LoadedRun:
    """What the load and the failure left: the drill's evidence of what was written when."""

    workload: Workload
    load: SteadyLoad
    dumps: list[Dump]
    failed_at: float  # wall clock


async def run_drill(base: Path, postgres_server: str, kafka_bootstrap: str, size: DrillSize, seed: int) -> dict:
    try:
        pg_bindir()  # pg_dump and pg_restore, beside the server binaries
    except InfraUnavailable as exc:
        require_infra(f"the PostgreSQL client tools: {exc}")
    prefix = f"drill{uuid.uuid4().hex[:6]}-"
    topology = Topology(base / "run", postgres_server, kafka_bootstrap, topic_prefix=prefix)
    fresh = PostgresCluster(base / "restored-pg")
    lost_urls: dict[str, str] = {}
    report: dict = {"seed": seed}
    try:
        await topology.prepare()
        lost_urls = {name: svc.database_url for name, svc in topology.services.items()}
        assert set(DUMP_ORDER) == set(topology.services), f"every database is dumped: {sorted(topology.services)}"
        topology.start()
        await asyncio.to_thread(topology.wait_healthy, 90)
        run = await load_dump_and_fail(topology, size, seed, base / "dumps", report)
        await recover(topology, fresh, run.dumps, prefix, report)
        await reconcile_restored(topology, run, lost_urls, report)
        return report
    finally:
        topology.stop()
        fresh.stop("immediate")
        for url in lost_urls.values():
            await drop_database(postgres_server, url.rsplit("/", 1)[1])


async def load_dump_and_fail(topology: Topology, size: DrillSize, seed: int, dump_dir: Path, report: dict) -> LoadedRun:
    """The scene, steady writes, the dumps while they go on, then every process killed at once."""
    client = GatewayClient(topology.gateway_url, topology.demo_client_secrets(), time.monotonic() + size.time_bound)
    workload = Workload(client, seed, size.projects)
    await prepare_scene(workload)
    assert not client.stats.rejections, client.stats.rejections[:3]
    db = Databases(topology)
    try:
        headroom = await find_headroom(db, size.steady_writes)
    finally:
        await db.close()
    load = SteadyLoad(workload, headroom, size.steady_writes)
    stop = asyncio.Event()
    running = asyncio.create_task(load.run(stop))
    await wait_for(lambda: len(load.writes) >= size.writes_before_dump or running.done(),
                   size.time_bound, f"{size.writes_before_dump} steady writes")

    dump_dir.mkdir()
    dumps = [await asyncio.to_thread(dump_database, name, topology.services[name].database_url, dump_dir)
             for name in DUMP_ORDER]
    report["dumps"] = {d.service: {"seconds": d.seconds, "kib": round(d.size_bytes / 1024)} for d in dumps}

    # Writes go on after the dumps (those a restore loses), then everything stops at once.
    await asyncio.sleep(size.after_dump_seconds)
    failed_at = time.time()
    stop.set()
    running.cancel()
    try:
        await running
    except asyncio.CancelledError:
        pass
    for managed in topology.processes.values():
        managed.kill()
    await client.close()
    report["load"] = {"scene_ops": workload.exp.acknowledged, "steady_writes": len(load.writes),
                      "steady_per_s": round(len(load.writes) / max(failed_at - load.started_at, 0.001), 1)}
    return LoadedRun(workload, load, dumps, failed_at)


async def recover(topology: Topology, fresh: PostgresCluster, dumps: list[Dump], prefix: str, report: dict) -> None:
    """Fresh cluster, every dump restored, consumer groups to the end, outboxes republished, the
    topology started on the restored databases and drained, monitoring's read models rebuilt."""
    started = time.monotonic()
    try:
        server = fresh.start()
    except Exception as exc:  # noqa: BLE001 - say why, and fail in CI
        require_infra(f"a fresh PostgreSQL cluster to restore into: {exc}")
    for d in dumps:
        topology.services[d.service].database_url = await restore_database(server, d)
    topology.postgres_server = server
    restored = time.monotonic()
    db = Databases(topology)
    try:
        moved = {consumer: await move_group_to_end(topology.kafka_bootstrap, consumer,
                                                   [prefix + t for t in sorted(topics)])
                 for consumer, (topics, _) in db.subscriptions.items()}
        assert all(moved.values()), f"consumer groups with no partition moved to the end: {moved}"
        republished = {name: await republish_outbox(svc.database_url) for name, svc in topology.services.items()}
        topology.start()
        await asyncio.to_thread(topology.wait_healthy, 90)
        drain_deadline = time.monotonic() + DRAIN_SECONDS
        while (waiting := await db.undrained()) and time.monotonic() < drain_deadline:
            await asyncio.sleep(0.3)
        assert not waiting, f"not drained within {DRAIN_SECONDS}s after the restore: {waiting}"
        replayed = time.monotonic()
        live = await read_models(db)
        rebuild = run_command(topology, "monitoring", "rebuild-read-models")
        assert rebuild.returncode == 0, rebuild.stderr
        rebuilt = time.monotonic()
        assert await read_models(db) == live, "the rebuild did not reproduce the replayed read models"
    finally:
        await db.close()
    report["recovery_time_s"] = {
        "restore": round(restored - started, 1), "replay": round(replayed - restored, 1),
        "rebuild": round(rebuilt - replayed, 1), "total": round(rebuilt - started, 1)}
    report["republished_events"] = sum(republished.values())
    report["partitions_moved_to_end"] = sum(moved.values())
    report["rebuild"] = rebuild.stdout.strip()


async def reconcile_restored(topology: Topology, run: LoadedRun, lost_urls: dict[str, str], report: dict) -> None:
    db = Databases(topology)
    try:
        observed = await observe(db)
        problems, counts = compare(observed)
        for label, case in tampered(observed):
            assert compare(case)[0], f"the reconciliation missed {label}"
        problems += await reconcile(db, run.workload.exp)  # every operation of the scene, exactly once
        report["reconciled"] = counts
        report["recovery_point"] = await recovery_point(db, run.load.writes, run.dumps, run.failed_at, lost_urls)
    finally:
        await db.close()
    audit = run_command(topology, "gateway", "verify-audit")
    verification = json.loads(audit.stdout or "{}")
    report["audit"] = {"ok": verification.get("ok"), "checked": verification.get("checked")}
    report["problems"] = problems
