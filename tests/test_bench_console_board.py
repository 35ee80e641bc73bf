"""bench/console_board.py in miniature, so the benchmark cannot rot: `make run`'s suite with the
ledger on PostgreSQL, a round of 60 requests through the bulk import (two board pages), a few
decisions, the person signed in through the login page, every page and baseline timed, and every
board page drawing at most one page of rows. Writes no results file."""

from __future__ import annotations

import pytest

from bench.console_board import PAGE_SIZE, Params, rows, run

pytestmark = [pytest.mark.postgres]


def test_the_console_board_bench_runs_end_to_end_with_tiny_counts(postgres_server: str) -> None:
    params = Params(requests=PAGE_SIZE + 10, decisions=3, samples=2, warmup=1)
    measured, seeded = run(params, postgres_server)
    assert set(measured) >= {"board, first page", "board, next page (cursor)", "baseline: status API call the board makes"}
    assert all(len(samples) == 2 and all(t > 0 for t in samples) for samples in measured.values())
    table = {r["metric"]: r for r in rows(measured, params, seeded)}
    assert table["requests in the round"]["value"] == PAGE_SIZE + 10
    assert table["board, first page p95"]["unit"] == "ms"
