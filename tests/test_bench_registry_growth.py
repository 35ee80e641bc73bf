"""bench/registry_growth.py in miniature, so the benchmark cannot rot: the script run as `make bench`
runs it (its own uvicorn process of the registry; PostgreSQL when DGPLAN_TEST_POSTGRES_URL is set,
else SQLite), 40 projects registered through the API at two sizes, three GETs of each page, every
figure in the JSON it writes (into a temporary directory, not bench/results)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_registry_growth_bench_runs_end_to_end_with_tiny_sizes(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "registry_growth.py"), "--sizes", "20,40", "--samples", "3",
         "--connections", "2", "--window", "10", "--max-seconds", "120", "--results-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads((tmp_path / "registry_growth.json").read_text())
    assert data["machine"]["cores"] and data["notes"]
    table = {r["metric"]: r for r in data["rows"]}
    assert table["backend"]["value"] in ("PostgreSQL", "SQLite")
    assert table["projects registered through the API (2 connections)"]["value"] == 40
    for size, window in ((20, 10), (40, 10)):
        assert table[f"registrations/s at {size} projects (last {window})"]["value"] > 0
        for page in ("project list, 1st page", "draft's node list, 1st page"):
            assert table[f"{page} at {size} projects: p50"]["value"] > 0
            assert table[f"{page} at {size} projects: p95"]["unit"] == "ms"
    ratios = [r for r in data["rows"] if "max/min" in r["metric"]]
    assert len(ratios) == 5 and all(r["value"] >= 1 for r in ratios)
    assert [r["metric"].split(" max/min")[0] for r in ratios if r["target"] == "<= 1.5"] == [
        "registration rate", "project list, 1st page p50", "draft's node list, 1st page p50"]
