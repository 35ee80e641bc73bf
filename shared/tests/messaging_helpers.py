"""Helpers for the delivery tests: emit probe events, count effects, wait with a deadline."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import func, select

from dgplan_shared.db.engine import Database
from dgplan_shared.db.uow import UnitOfWork
from probe_service.definition import ITEM_CREATED, effects, inbox, outbox


async def emit(db: Database, seqs: range | list[int], poison: set[int] = frozenset(), per_tx: int = 50) -> None:
    seqs = list(seqs)
    for start in range(0, len(seqs), per_tx):
        async with UnitOfWork(db, "probe", outbox) as uow:
            for seq in seqs[start : start + per_tx]:
                data = {"seq": seq, "text": f"โครงการ {seq}"}
                if seq in poison:
                    data["poison"] = True
                await uow.publish(ITEM_CREATED, f"item-{seq % 7}", data)
            await uow.commit()


async def effect_counts(db: Database) -> dict[int, int]:
    async with db.session() as s:
        rows = (await s.execute(select(effects.c.seq, func.count()).group_by(effects.c.seq))).all()
    return {seq: n for seq, n in rows}


async def inbox_count(db: Database) -> int:
    async with db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(inbox)) or 0)


async def unpublished(db: Database) -> int:
    async with db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))) or 0)


async def wait_for(condition: Callable[[], Awaitable[bool]], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
