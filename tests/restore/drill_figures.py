"""The recovery point: what the dumps hold against what was written before the failure."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from drill_backup import Dump
from drill_load import Write
from fault_reconcile import Databases


async def count(url: str, sql: str) -> int:
    """One figure from a lost database (read only: nothing runs on it any more)."""
    engine = create_async_engine(url, pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as conn:
            return int((await conn.execute(text(sql))).scalar_one())
    finally:
        await engine.dispose()


async def recovery_point(db: Databases, steady_writes: list[Write], dumps: list[Dump], failed_at: float,
                         lost_urls: dict[str, str]) -> dict:
    """What the dumps hold against what was written: acknowledged writes lost (each must postdate its
    owner's dump), rows the lost databases held beyond the dumps, and the time from dump to failure."""
    started = {d.service: d.started_at for d in dumps}
    present = {
        "plan-registry": {r["node_id"] for r in await db.rows("plan-registry", "SELECT node_id FROM nodes")},
        "budget-ledger": {r["entry_id"] for r in await db.rows("budget-ledger", "SELECT entry_id FROM ledger_entries")},
    }
    figures: dict = {}
    for owner in present:
        writes = [w for w in steady_writes if w.owner == owner]
        lost = [w for w in writes if w.id not in present[owner]]
        before_dump = [w for w in lost if w.acked_at < started[owner]]
        assert not before_dump, f"{owner}: {len(before_dump)} writes acknowledged before its dump are missing"
        figures[owner] = {
            "acknowledged": len(writes),
            "after_dump": sum(1 for w in writes if w.acked_at >= started[owner]),
            "lost": len(lost),
            "lost_baht": f"{sum((w.amount for w in lost), Decimal('0.00'))}",
            "dump_to_failure_s": round(failed_at - started[owner], 2),
        }
    held = {"plan-registry": "SELECT count(DISTINCT node_id) FROM nodes",
            "budget-ledger": "SELECT count(*) FROM ledger_entries"}
    for owner, sql in held.items():
        restored = next(iter((await db.rows(owner, sql))[0].values()))
        figures[owner]["rows_beyond_dump"] = await count(lost_urls[owner], sql) - restored
    return figures
