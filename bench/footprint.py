"""The distributed topology at idle: each process's CPU and the topology's memory, with one process
per role and with the one-worker option (issue 18: relays that wake, not poll; footprint).

Two topologies on real PostgreSQL and Kafka, one after the other, each in its own databases and
topics:

1. **one process per role** (what Kubernetes runs): every service's API, relay, consumer and
   daemons as separate processes;
2. **one worker per service** (``<service> worker``): the API, and one process running the relay,
   the consumer and the daemons.

For each: start, wait until healthy, let the consumers join their groups (``--settle``), then
measure over ``--window`` seconds the CPU time each process spends (``/proc/<pid>/stat``, user +
system) and, at the end, its memory: resident (RSS) and proportional (PSS, which splits shared
pages between the processes that map them, so the sum is not inflated by shared libraries).
Nothing is sent during the window: it is the cost of being ready.

Then, on the one-worker topology, the whole screening path (project, round, request, decision,
package, committee votes, allocation) and ``--samples`` disbursements from the ledger to
monitoring's read model: the option must carry events as the separate processes do, and the
latency it costs is reported beside its saving.

Run: .venv/bin/python bench/footprint.py [--settle 10] [--window 20] [--samples 30]
(needs DGPLAN_TEST_POSTGRES_URL and DGPLAN_TEST_KAFKA_BOOTSTRAP: run it through `make bench` or
scripts/with-infra.sh). 127.0.0.1 only; stops every process it started. Writes
bench/results/footprint.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dgplan_shared.topology import Topology

from bench.common import cpu_seconds, percentile, table, write_result
from bench.event_propagation import disbursements_reaching_monitoring, funded_project
from tests.e2e.conftest import Gateway

RELAY_IDLE_CPU_TARGET = 0.5  # % of one core (issue 18)


@dataclass(frozen=True)
class Idle:
    """One process at idle: its role and what it cost over the window."""

    name: str  # "<service>.<role>"
    cpu_percent: float  # of one core
    rss_mib: float
    pss_mib: float


@dataclass(frozen=True)
class Params:
    settle: float = 10.0
    window: float = 20.0
    samples: int = 30


def _memory_mib(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MiB, from /proc/<pid>/smaps_rollup."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("Rss", "Pss"):
            values[key] = int(rest.split()[0]) / 1024
    return values["Rss"], values["Pss"]


def _pids(topology: Topology) -> dict[str, int]:
    out = {}
    for name, managed in topology.processes.items():
        assert managed.process is not None and managed.alive, f"{name} is not running"
        out[name] = managed.process.pid
    return out


async def idle_of(topology: Topology, params: Params) -> list[Idle]:
    await asyncio.sleep(params.settle)
    pids = _pids(topology)
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    started = time.monotonic()
    await asyncio.sleep(params.window)
    elapsed = time.monotonic() - started
    out = []
    for name, pid in pids.items():
        rss, pss = _memory_mib(pid)
        out.append(Idle(name, (cpu_seconds(pid) - before[name]) / elapsed * 100, rss, pss))
    return out


async def measure(params: Params) -> tuple[list[Idle], list[Idle], list[float]]:
    server, kafka = os.environ["DGPLAN_TEST_POSTGRES_URL"], os.environ["DGPLAN_TEST_KAFKA_BOOTSTRAP"]
    results: list[list[Idle]] = []
    latencies: list[float] = []
    for one_worker in (False, True):
        with tempfile.TemporaryDirectory() as base:
            topology = Topology(Path(base), server, kafka, topic_prefix=f"foot{uuid.uuid4().hex[:6]}-",
                                one_worker=one_worker)
            await topology.prepare()
            topology.start()
            gw: Gateway | None = None
            try:
                await asyncio.to_thread(topology.wait_healthy, 90)
                results.append(await idle_of(topology, params))
                if one_worker:
                    gw = Gateway(topology)
                    project = await funded_project(gw)
                    latencies = await disbursements_reaching_monitoring(gw, topology, project, params.samples)
            finally:
                if gw is not None:
                    await gw.http.aclose()
                topology.stop()
    return results[0], results[1], latencies


def _role(idle: Idle) -> str:
    return idle.name.split(".", 1)[1]


def rows(separate: list[Idle], combined: list[Idle], latencies: list[float], params: Params) -> list[dict[str, object]]:
    def total(items: list[Idle], attr: str) -> float:
        return round(sum(getattr(i, attr) for i in items), 1)

    relays = [i for i in separate if _role(i) == "relay"]
    workers = [i for i in combined if _role(i) == "worker"]
    hottest_relay = max(relays, key=lambda i: i.cpu_percent)
    out: list[dict[str, object]] = [
        {"metric": f"idle window (after {params.settle:g} s settling)", "value": params.window, "unit": "s",
         "target": "-", "meets": None},
        {"metric": "machine load average (1 min) at the end", "value": round(os.getloadavg()[0], 2), "unit": "",
         "target": "-", "meets": None},
        {"metric": f"relay idle CPU, highest of {len(relays)} ({hottest_relay.name})",
         "value": round(hottest_relay.cpu_percent, 2), "unit": "%", "target": f"< {RELAY_IDLE_CPU_TARGET}",
         "meets": hottest_relay.cpu_percent < RELAY_IDLE_CPU_TARGET},
    ]
    for role in sorted({_role(i) for i in separate} - {"relay"}):
        of_role = [i for i in separate if _role(i) == role]
        hottest = max(of_role, key=lambda i: i.cpu_percent)
        out.append({"metric": f"{role} idle CPU, highest of {len(of_role)} ({hottest.name})",
                    "value": round(hottest.cpu_percent, 2), "unit": "%", "target": "-", "meets": None})
    hottest_worker = max(workers, key=lambda i: i.cpu_percent)
    out += [
        {"metric": f"one-worker process idle CPU, highest of {len(workers)} ({hottest_worker.name})",
         "value": round(hottest_worker.cpu_percent, 2), "unit": "%", "target": "-", "meets": None},
        {"metric": f"topology idle CPU, one process per role ({len(separate)} processes)",
         "value": total(separate, "cpu_percent"), "unit": "%", "target": "-", "meets": None},
        {"metric": f"topology idle CPU, one worker per service ({len(combined)} processes)",
         "value": total(combined, "cpu_percent"), "unit": "%", "target": "-", "meets": None},
        {"metric": "topology resident memory (RSS), one process per role", "value": total(separate, "rss_mib"),
         "unit": "MiB", "target": "-", "meets": None},
        {"metric": "topology resident memory (RSS), one worker per service", "value": total(combined, "rss_mib"),
         "unit": "MiB", "target": "-", "meets": None},
        {"metric": "topology proportional memory (PSS), one process per role", "value": total(separate, "pss_mib"),
         "unit": "MiB", "target": "-", "meets": None},
        {"metric": "topology proportional memory (PSS), one worker per service", "value": total(combined, "pss_mib"),
         "unit": "MiB", "target": "-", "meets": None},
        {"metric": "one worker per service / one process per role (PSS)",
         "value": round(total(combined, "pss_mib") / total(separate, "pss_mib") * 100, 1), "unit": "%",
         "target": "-", "meets": None},
    ]
    if latencies:
        out += [
            {"metric": f"one-worker topology: ledger commit -> monitoring, p50 (n={len(latencies)})",
             "value": round(percentile(latencies, 50), 1), "unit": "ms", "target": "-", "meets": None},
            {"metric": f"one-worker topology: ledger commit -> monitoring, p95 (n={len(latencies)})",
             "value": round(percentile(latencies, 95), 1), "unit": "ms", "target": "-", "meets": None},
        ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--settle", type=float, default=Params.settle)
    parser.add_argument("--window", type=float, default=Params.window)
    parser.add_argument("--samples", type=int, default=Params.samples)
    args = parser.parse_args()
    params = Params(settle=args.settle, window=args.window, samples=args.samples)
    separate, combined, latencies = asyncio.run(measure(params))
    result = rows(separate, combined, latencies, params)
    per_process = [f"{i.name}: {i.cpu_percent:.2f} % CPU, RSS {i.rss_mib:.0f} MiB, PSS {i.pss_mib:.0f} MiB"
                   for i in [*separate, *combined]]
    write_result("footprint", result, notes=[
        "CPU is a share of one core over the idle window; PSS divides shared pages among the processes "
        "mapping them (RSS counts them in each). Per process:", *per_process])
    print(table(result))


if __name__ == "__main__":
    main()
