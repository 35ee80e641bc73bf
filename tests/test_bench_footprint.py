"""bench/footprint.py's reading of a process and its table, without starting two topologies (the
bench itself does that; the one-worker process is proven over Kafka in shared/tests/test_worker_probes)."""

from __future__ import annotations

import os
import time

from bench.common import cpu_seconds
from bench.footprint import Idle, Params, _memory_mib, rows


def test_a_process_cpu_time_and_memory_are_read_from_proc() -> None:
    before = cpu_seconds(os.getpid())
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:  # burn a fifth of a second of CPU
        pass
    assert cpu_seconds(os.getpid()) - before >= 0.15
    rss, pss = _memory_mib(os.getpid())
    assert 10 < pss <= rss < 4096


def test_the_table_names_the_hottest_relay_and_compares_the_two_layouts() -> None:
    separate = [Idle("gateway.relay", 0.3, 90, 70), Idle("monitoring.relay", 0.7, 90, 70),
                Idle("monitoring.consumer", 0.4, 95, 75), Idle("monitoring.api", 0.1, 110, 90)]
    combined = [Idle("monitoring.worker", 0.9, 100, 80), Idle("monitoring.api", 0.1, 110, 90)]
    table = {r["metric"]: r for r in rows(separate, combined, [20.0, 30.0], Params(settle=1, window=2, samples=2))}
    relay = table["relay idle CPU, highest of 2 (monitoring.relay)"]
    assert relay["value"] == 0.7 and relay["meets"] is False  # over the 0.5 % target
    assert table["topology proportional memory (PSS), one process per role"]["value"] == 305
    assert table["topology proportional memory (PSS), one worker per service"]["value"] == 170
    assert table["one worker per service / one process per role (PSS)"]["value"] == round(170 / 305 * 100, 1)
    assert table["one-worker topology: ledger commit -> monitoring, p95 (n=2)"]["value"] == 30.0
