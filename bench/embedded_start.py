"""Embedded start: seconds from launching `python -m dgplan_shared.embedded` (what `make run` runs
once installed) to the gateway answering /healthz, on an existing data directory.

Run: .venv/bin/python bench/embedded_start.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile, table, write_result  # noqa: E402
from dgplan_shared.net import free_port  # noqa: E402


def one_start(data_dir: str) -> float:
    port = free_port()
    env = {**os.environ, "DGPLAN_PORT": str(port), "DGPLAN_DATA_DIR": data_dir, "DGPLAN_LOG_LEVEL": "ERROR"}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "dgplan_shared.embedded"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - started < 60:
            if process.poll() is not None:
                raise RuntimeError("embedded suite exited during start")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.02)
        raise RuntimeError("embedded suite did not start within 60 s")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(60)


def run(runs: int = 5) -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as data_dir:
        first = one_start(data_dir)  # creates and seeds the databases
        samples = [one_start(data_dir) for _ in range(runs)]
    return [
        {"metric": "embedded start, first run (migrate + seed), s", "value": round(first, 2), "unit": "s",
         "target": "-", "meets": None},
        {"metric": f"embedded start to /healthz, p50 of {runs}, s", "value": round(percentile(samples, 50), 2),
         "unit": "s", "target": "<= 5 s", "meets": percentile(samples, 50) <= 5},
        {"metric": f"embedded start to /healthz, max of {runs}, s", "value": round(max(samples), 2),
         "unit": "s", "target": "<= 5 s", "meets": max(samples) <= 5},
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    rows = run(parser.parse_args().runs)
    write_result("embedded_start", rows)
    print(table(rows))


if __name__ == "__main__":
    main()
