"""Backups that restore (issue 18): dumps taken while load runs, restored into a fresh cluster,
read models rebuilt from the restored data and Kafka, owners and read models reconciled exactly.

The short form runs in ``make test``; ``make restore-drill`` runs the long one and prints the
recovery point and time. ``DGPLAN_DRILL_SEED`` replays a run's load.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from restore_drill import LONG, SHORT, DrillSize, run_drill

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

# A seed whose scene allocates budget with room for the steady commitments (the drill says so if not).
DEFAULT_SEED = 2563


@pytest.fixture
def drill_dir():  # type: ignore[no-untyped-def]
    """Outside pytest's root-only tmp tree: the fresh cluster runs as PostgreSQL's own user when the
    tests run as root and must reach its data directory. Kept (with every log) when the drill fails."""
    base = Path(tempfile.mkdtemp(prefix="dgplan-restore-"))
    base.chmod(0o755)
    yield base
    if not (base / "KEEP").exists():
        shutil.rmtree(base, ignore_errors=True)


async def drill(base: Path, postgres_server: str, kafka_bootstrap: str, size: DrillSize) -> dict:
    seed = int(os.environ.get("DGPLAN_DRILL_SEED") or DEFAULT_SEED)
    try:
        report = await run_drill(base, postgres_server, kafka_bootstrap, size, seed)
    except BaseException:
        (base / "KEEP").touch()
        print(f"\nrestore drill failed (seed {seed}); logs and dumps kept in {base}")
        raise
    print(f"\nrestore drill: {report}")
    assert not report["problems"], f"not reconciled: {report['problems'][:20]}"
    assert report["audit"]["ok"] is True, report["audit"]
    point = report["recovery_point"]
    # The dumps were taken while writes went on: some are lost, and the drill must have seen that.
    assert point["budget-ledger"]["after_dump"] + point["plan-registry"]["after_dump"] > 0, point
    return report


async def test_short_restore_drill_reconciles_exactly(drill_dir, postgres_server, kafka_bootstrap):
    report = await drill(drill_dir, postgres_server, kafka_bootstrap, SHORT)
    assert report["reconciled"]["postings"] > 0 and report["reconciled"]["projects"] > 0


@pytest.mark.slow
@pytest.mark.timeout(1200)
async def test_long_restore_drill_reconciles_exactly(drill_dir, postgres_server, kafka_bootstrap):
    report = await drill(drill_dir, postgres_server, kafka_bootstrap, LONG)
    assert report["reconciled"]["postings"] >= 1000
