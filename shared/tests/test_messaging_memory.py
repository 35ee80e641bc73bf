"""Outbox -> relay -> bus -> inbox consumer on the in-memory bus and SQLite (the embedded path)."""

import asyncio
import logging

from dgplan_shared.bus.availability import BROKER_AVAILABLE
from dgplan_shared.bus.memory import InMemoryBus
from dgplan_shared.consumer import dead_letter_reason
from dgplan_shared.db.engine import Database
from dgplan_shared.relay import FAILURES, OutboxRelay
from dgplan_shared.service import build_runtime
from messaging_helpers import effect_counts, emit, inbox_count, unpublished, wait_for
from probe_service.definition import TOPIC, Settings, definition, outbox


async def _runtime(url: str, bus: InMemoryBus, **overrides):  # type: ignore[no-untyped-def]
    settings = Settings(database_url=url, consumer_retry_backoff_seconds=0, **overrides)
    return build_runtime(definition(), settings, Database.from_url(url), bus)


async def test_every_event_has_exactly_one_effect_even_when_everything_is_redelivered(probe_database):
    bus = InMemoryBus()
    producer = await _runtime(await probe_database("sqlite"), bus)
    consumer_side = await _runtime(await probe_database("sqlite"), bus)
    await emit(producer.db, range(300))
    relay = producer.relay()
    while await relay.publish_batch():
        pass
    assert await unpublished(producer.db) == 0

    stop = asyncio.Event()
    task = asyncio.create_task(consumer_side.consumer().run(stop))
    await wait_for(lambda: _has(consumer_side.db, 300), 20, "300 effects")
    stop.set()
    await task

    # An operator replays the whole topic: the group's offsets go back to the start.
    bus.committed.clear()
    stop = asyncio.Event()
    task = asyncio.create_task(consumer_side.consumer().run(stop))
    await wait_for(lambda: _caught_up(bus), 20, "replay to finish")
    stop.set()
    await task

    counts = await effect_counts(consumer_side.db)
    assert sorted(counts) == list(range(300))
    assert set(counts.values()) == {1}
    assert await inbox_count(consumer_side.db) == 300
    for rt in (producer, consumer_side):
        await rt.db.dispose()


async def _has(db, n):  # type: ignore[no-untyped-def]
    return sum((await effect_counts(db)).values()) >= n


async def _caught_up(bus):  # type: ignore[no-untyped-def]
    return bus.lag("probe", [TOPIC]) == 0


async def test_poison_event_goes_to_dead_letter_topic_and_the_consumer_moves_on(probe_database):
    bus = InMemoryBus()
    producer = await _runtime(await probe_database("sqlite"), bus)
    consumer_side = await _runtime(await probe_database("sqlite"), bus, consumer_max_attempts=3)
    await emit(producer.db, range(10), poison={4})
    await producer.relay().publish_batch()
    bus.logs[TOPIC].append(bus.logs[TOPIC][0].__class__(TOPIC, 0, 10, "k", b"\xff not an envelope"))

    stop = asyncio.Event()
    task = asyncio.create_task(consumer_side.consumer().run(stop))
    await wait_for(lambda: _caught_up(bus), 20, "consumer to pass the poison")
    stop.set()
    await task

    counts = await effect_counts(consumer_side.db)
    assert sorted(counts) == [0, 1, 2, 3, 5, 6, 7, 8, 9]
    dead = bus.logs["probe.dlq"]
    assert len(dead) == 2
    assert "never be handled" in dead_letter_reason(dead[0])
    assert "unreadable envelope" in dead_letter_reason(dead[1])
    for rt in (producer, consumer_side):
        await rt.db.dispose()


async def test_events_committed_while_the_bus_is_down_are_published_when_it_returns(probe_database):
    bus = InMemoryBus()
    producer = await _runtime(await probe_database("sqlite"), bus)
    bus.available = False
    await emit(producer.db, range(20))
    stop = asyncio.Event()
    relay_task = asyncio.create_task(producer.relay().run(stop))
    await asyncio.sleep(0.5)
    assert await unpublished(producer.db) == 20
    assert bus.logs[TOPIC] == []
    bus.available = True
    await wait_for(lambda: _unpublished_is(producer.db, 0), 20, "the relay to catch up")
    stop.set()
    await relay_task
    assert [r.offset for r in bus.logs[TOPIC]] == list(range(20))
    await producer.db.dispose()


async def _unpublished_is(db, n):  # type: ignore[no-untyped-def]
    return await unpublished(db) == n


async def test_a_bus_outage_is_logged_once_when_it_begins_and_once_when_it_ends(probe_database, caplog):
    """However many retries the outage takes, the relay's log says it once, not once per retry."""
    bus = InMemoryBus()
    producer = await _runtime(await probe_database("sqlite"), bus)
    relay = OutboxRelay(producer.db, bus, outbox, service="probe-outage", max_backoff=0.2)
    await emit(producer.db, range(5))
    stop = asyncio.Event()
    caplog.set_level("DEBUG", logger="dgplan_shared")
    relay_task = asyncio.create_task(relay.run(stop))
    await wait_for(lambda: _unpublished_is(producer.db, 0), 20, "the first events")
    bus.available = False
    await emit(producer.db, range(5, 10))
    await asyncio.sleep(2)  # about ten retries at a 0.2 s cap
    assert bus.availability.available is False and BROKER_AVAILABLE.labels("memory")._value.get() == 0
    bus.available = True
    await wait_for(lambda: _unpublished_is(producer.db, 0), 20, "the relay to catch up")
    stop.set()
    await relay_task

    assert FAILURES.labels("probe-outage")._value.get() >= 5, "the relay kept retrying during the outage"
    noisy = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(noisy) == 1 and noisy[0].startswith("broker unavailable"), noisy
    back = [r for r in caplog.records if r.getMessage() == "broker available again"]
    assert len(back) == 1 and back[0].levelno == logging.INFO
    assert [r.offset for r in bus.logs[TOPIC]] == list(range(10)), "nothing lost, nothing twice"
    assert BROKER_AVAILABLE.labels("memory")._value.get() == 1
    await producer.db.dispose()
