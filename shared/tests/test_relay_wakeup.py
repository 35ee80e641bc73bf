"""The relay is woken by commits instead of polling the outbox every 50 ms (issue 18): on
PostgreSQL by NOTIFY from another process's transaction, in the embedded default by the unit of
work in the same process; the slow poll stays as the safety net."""

from __future__ import annotations

import asyncio

import pytest

from dgplan_shared.bus.memory import InMemoryBus
from dgplan_shared.db.engine import Database
from dgplan_shared.relay import OutboxRelay
from messaging_helpers import emit, unpublished, wait_for
from probe_service.definition import outbox

# So long that only a wake-up can explain a prompt publish.
SAFETY_NET = 30.0


class CountingRelay(OutboxRelay):
    """Counts the relay's looks at the outbox (an idle relay's work is its empty looks)."""

    looks = 0

    async def publish_batch(self) -> int:
        self.looks += 1
        return await super().publish_batch()


def _relay(db: Database, idle: float = SAFETY_NET) -> CountingRelay:
    return CountingRelay(db, InMemoryBus(), outbox, service="probe", poll_interval=0.05, idle_poll_interval=idle)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_a_commit_wakes_the_relay_at_once_and_an_idle_relay_hardly_looks(probe_database, backend):
    url = await probe_database(backend)
    relay_db = Database.from_url(url)
    # On PostgreSQL the events come from another engine, as from an API process beside the relay.
    writer_db = Database.from_url(url) if backend == "postgres" else relay_db
    relay = _relay(relay_db)
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:
        await asyncio.sleep(1.0)
        # Idle for a second: a 50 ms poll would have looked about 20 times.
        assert relay.looks <= 3, relay.looks
        await emit(writer_db, range(5))
        await wait_for(lambda: _drained(writer_db), 5, "the relay to publish what was committed")
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)  # stop also wakes it: no waiting out the safety net
        await relay_db.dispose()
        if writer_db is not relay_db:
            await writer_db.dispose()


@pytest.mark.postgres
async def test_without_listen_the_relay_polls_fast_and_loses_nothing(probe_database, monkeypatch):
    url = await probe_database("postgres")
    db = Database.from_url(url)

    async def no_listen(self) -> None:  # type: ignore[no-untyped-def]
        return None  # as if LISTEN failed: the relay must fall back to the fast poll

    monkeypatch.setattr("dgplan_shared.outbox_wakeup.CommitWakeup._listen", no_listen)
    relay = _relay(db)
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:
        other = Database.from_url(url)
        await emit(other, range(3))
        await wait_for(lambda: _drained(other), 5, "the fast poll to publish")
        await other.dispose()
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        await db.dispose()


async def _drained(db: Database) -> bool:
    return await unpublished(db) == 0
