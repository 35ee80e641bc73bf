"""bench/registry_reads.py in miniature, so the benchmark cannot rot: the registry served by its own
uvicorn process (seeded, SQLite), every target loaded for a fraction of a second with two
connections, every answer's status checked (the conditional one a 304), every figure produced.
Writes no results file."""

from __future__ import annotations

from bench.registry_reads import Params, rows, run


def test_the_registry_reads_bench_runs_end_to_end_briefly() -> None:
    params = Params(seconds=0.4, connections=2, slices=2, max_requests=200, warmup=2)
    targets = run(params)
    names = [t.name for t in targets]
    assert names[0].startswith("trivial route") and "GET /api/v1/plans" in names
    assert "GET approved document, If-None-Match (304)" in names
    assert all(t.samples and all(s > 0 for s in t.samples) and len(t.samples) <= params.max_requests for t in targets)
    table = {r["metric"]: r for r in rows(targets, params)}
    assert table["GET approved version's document / trivial route"]["unit"] == "%"
    assert table["GET /api/v1/plans / trivial route"]["value"] > 0
