"""`make bench`: every benchmark in turn, one table, and docs/benchmarks.md rewritten.

Each benchmark is its own script (runnable alone) writing bench/results/<name>.json; this runner
runs them as separate processes, so one's load and memory never skew the next.
Usage: python -m bench [name ...]   (names: embedded_start gateway_bench ledger_bench event_propagation
webhook_delivery thai_search console_board registry_reads registry_growth footprint)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.common import RESULTS, machine, table

ROOT = Path(__file__).resolve().parent.parent
# (script, results file, what it measures)
BENCHMARKS = [
    ("embedded_start", "embedded_start", "`make run` start to a serving gateway"),
    ("gateway_bench", "gateway", "gateway added latency and throughput against direct calls"),
    ("ledger_bench", "ledger", "ledger postings per second on PostgreSQL; screening status on 10,000 requests"),
    ("event_propagation", "event_propagation", "ledger commit to monitoring read model over Kafka"),
    ("registry_growth", "registry_growth", "the registry's cost as its plan grows: 10,000 projects registered through the API"),
    ("footprint", "footprint", "the distributed topology at idle: CPU per process, memory with and without one worker per service"),
    ("webhook_delivery", "webhook_delivery", "webhook delivery: event commit to a receiver, deliveries per second"),
    ("thai_search", "thai_search", "Thai search on PostgreSQL: substring against newmm word segmentation"),
    ("console_board", "console_board", "the console's screening board page time on a round of 10,000 requests"),
    ("registry_reads", "registry_reads", "plan reads (list, approved document, 304) against a trivial route of the registry"),
]
DOC = ROOT / "docs" / "benchmarks.md"


def run(names: list[str]) -> int:
    failed = []
    for script, _, what in BENCHMARKS:
        if names and script not in names:
            continue
        print(f"\n== {script}: {what}", flush=True)
        if subprocess.run([sys.executable, str(ROOT / "bench" / f"{script}.py")], cwd=ROOT).returncode != 0:
            failed.append(script)
    write_doc()
    print(f"\nwrote {DOC.relative_to(ROOT)}")
    if failed:
        print(f"benchmarks that failed to run: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def write_doc() -> None:
    sections, misses, alternatives = [], [], []
    for script, result, what in BENCHMARKS:
        path = RESULTS / f"{result}.json"
        if not path.exists():
            sections.append(f"## {what}\n\nNot run yet: `.venv/bin/python bench/{script}.py`.\n")
            continue
        data = json.loads(path.read_text())
        rows = data["rows"]
        for r in rows:
            if r.get("meets") is not False:
                continue
            line = f"- {r['metric']}: {r['value']} {r.get('unit', '')} (target {r['target']})"
            # "[name]" rows measure alternatives (e.g. HTTP clients) against the one in use, "[name (default)]".
            alternative = str(r["metric"]).startswith("[") and "(default)" not in str(r["metric"])
            (alternatives if alternative else misses).append(line)
        m = data["machine"]
        sections.append(
            f"## {what}\n\n`.venv/bin/python bench/{script}.py` — measured {m['at']} at commit {m['commit']} "
            f"on {m['cores']} × {m['cpu']}, {m['memory_gib']} GiB, Python {m['python']}.\n\n"
            f"```\n{table(rows)}\n```\n"
            + "".join(f"\n{note}\n" for note in data.get("notes", []))
        )
    here = machine()
    DOC.write_text(
        "# Benchmarks\n\n"
        "Made by `make bench` (PostgreSQL and Kafka started privately on loopback), which runs every script in "
        "`bench/` and rewrites this page. Targets are DESIGN.md section 7's; where the machine is noisy the "
        "figures that matter are the ratios (proxied against direct). Raw results with the machine's "
        "description: `bench/results/*.json`.\n\n"
        f"Machine of the last run: {here['cores']} × {here['cpu']}, {here['memory_gib']} GiB.\n\n"
        + "\n".join(sections)
        + "\n## Targets missed\n\n"
        + ("\n".join(misses) if misses else "None.")
        + "\n\n## Alternatives measured and not used (why the default was chosen)\n\n"
        + ("\n".join(alternatives) if alternatives else "None.")
        + "\n"
    )


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
