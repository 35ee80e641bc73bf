"""Delivery guarantees over real Apache Kafka and real PostgreSQL.

The producing side and the consuming side have separate databases, as two services do.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError
from aiokafka.structs import OffsetAndMetadata

from dgplan_shared.bus.kafka import KafkaBus
from dgplan_shared.db.engine import Database
from dgplan_shared.service import build_runtime
from messaging_helpers import effect_counts, emit, inbox_count, unpublished, wait_for
from probe_service.definition import TOPIC, Settings, definition

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]

HERE = Path(__file__).parent


def _settings(url: str, bootstrap: str, prefix: str, **overrides) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(
        database_url=url,
        bus="kafka",
        kafka_bootstrap_servers=bootstrap,
        kafka_topic_prefix=prefix,
        consumer_retry_backoff_seconds=0.05,
        consumer_session_timeout_ms=6000,
        **overrides,
    )


def _runtime(settings: Settings):  # type: ignore[no-untyped-def]
    return build_runtime(definition(), settings)


def _start_consumer_process(settings: Settings) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(HERE),
        "PROBE_DATABASE_URL": settings.database_url,
        "PROBE_BUS": "kafka",
        "PROBE_KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "PROBE_KAFKA_TOPIC_PREFIX": settings.kafka_topic_prefix,
        "PROBE_CONSUMER_SESSION_TIMEOUT_MS": "6000",
        "PROBE_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen([sys.executable, "-m", "probe_service", "consumer"], env=env)


async def _partitions(bootstrap: str, topic: str) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    partitions = sorted(p["partition"] for p in described["partitions"])
    assert partitions, f"topic {topic} has no partitions"
    return [TopicPartition(topic, p) for p in partitions]


async def _rewind_group_to_start(bootstrap: str, prefix: str, group: str) -> None:
    """What an operator does to replay a topic. Retries until the killed member has left the group."""
    topic = prefix + TOPIC
    for _ in range(60):
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
        await consumer.start()
        try:
            tps = await _partitions(bootstrap, topic)
            consumer.assign(tps)
            await consumer.commit({tp: OffsetAndMetadata(0, "") for tp in tps})
            return
        except KafkaError:
            await asyncio.sleep(0.5)
        finally:
            await consumer.stop()
    raise AssertionError("could not rewind the consumer group")


async def _committed_total(bootstrap: str, prefix: str, group: str) -> int:
    topic = prefix + TOPIC
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        total = 0
        for tp in await _partitions(bootstrap, topic):
            total += (await consumer.committed(tp)) or 0
        return total
    finally:
        await consumer.stop()


async def test_thousand_events_exactly_once_across_a_killed_consumer_and_a_full_replay(
    probe_database, kafka_bootstrap
):
    prefix = f"t{uuid.uuid4().hex[:8]}-"
    producer = _runtime(_settings(await probe_database("postgres"), kafka_bootstrap, prefix))
    consumer_settings = _settings(await probe_database("postgres"), kafka_bootstrap, prefix)
    consumer_db = Database.from_url(consumer_settings.database_url)
    await producer.bus.ensure_topics([TOPIC])
    await emit(producer.db, range(1000))

    stop_relay = asyncio.Event()
    relay = asyncio.create_task(producer.relay().run(stop_relay))
    process = _start_consumer_process(consumer_settings)
    try:
        await wait_for(lambda: _effects_at_least(consumer_db, 250), 90, "250 effects before the kill")
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        handled_at_kill = await inbox_count(consumer_db)
        assert handled_at_kill < 1000, "the kill must land mid-stream"
        committed_at_kill = await _committed_total(kafka_bootstrap, prefix, "probe")
        # Records handled after the last offset commit are redelivered to the restarted consumer.
        assert committed_at_kill <= handled_at_kill

        process = _start_consumer_process(consumer_settings)
        await wait_for(lambda: _inbox_is(consumer_db, 1000), 120, "all 1000 events handled after restart")
        process.send_signal(signal.SIGKILL)
        process.wait(10)

        # Replay everything: 1000 redeliveries, each of which must be recognised and skipped.
        await _rewind_group_to_start(kafka_bootstrap, prefix, "probe")
        assert await _committed_total(kafka_bootstrap, prefix, "probe") == 0
        process = _start_consumer_process(consumer_settings)
        await wait_for(
            lambda: _committed_is(kafka_bootstrap, prefix, 1000), 120, "the replay to be consumed to the end"
        )
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
        stop_relay.set()
        await relay

    counts = await effect_counts(consumer_db)
    assert sorted(counts) == list(range(1000)), "no event lost"
    assert set(counts.values()) == {1}, "no event applied twice"
    assert await unpublished(producer.db) == 0
    await consumer_db.dispose()
    await producer.db.dispose()
    await producer.bus.stop()


async def _effects_at_least(db, n):  # type: ignore[no-untyped-def]
    return sum((await effect_counts(db)).values()) >= n


async def _inbox_is(db, n):  # type: ignore[no-untyped-def]
    return await inbox_count(db) == n


async def _committed_is(bootstrap, prefix, n):  # type: ignore[no-untyped-def]
    return await _committed_total(bootstrap, prefix, "probe") == n


async def test_events_committed_while_broker_or_relay_is_down_are_delivered_later(
    probe_database, kafka_broker, kafka_bootstrap
):
    prefix = f"t{uuid.uuid4().hex[:8]}-"
    producer = _runtime(_settings(await probe_database("postgres"), kafka_bootstrap, prefix))
    consumer = _runtime(_settings(await probe_database("postgres"), kafka_bootstrap, prefix))
    await producer.bus.ensure_topics([TOPIC])

    # 1. The relay is dead while events are committed; they wait in the outbox.
    await emit(producer.db, range(0, 40))
    assert await unpublished(producer.db) == 40

    stop = asyncio.Event()
    consumer_task = asyncio.create_task(consumer.consumer().run(stop))
    relay_task = asyncio.create_task(producer.relay().run(stop))
    try:
        await wait_for(lambda: _inbox_is(consumer.db, 40), 60, "events from the revived relay")

        # 2. The broker dies (SIGKILL); events committed meanwhile stay in the outbox...
        kafka_broker.kill()
        await emit(producer.db, range(40, 100))
        await asyncio.sleep(2)
        assert await unpublished(producer.db) == 60
        # 3. ...and are delivered once it is back.
        await asyncio.to_thread(kafka_broker.start)
        await wait_for(lambda: _inbox_is(consumer.db, 100), 120, "events after the broker came back")
    finally:
        if kafka_broker.process is None:
            await asyncio.to_thread(kafka_broker.start)
        stop.set()
        await asyncio.gather(consumer_task, relay_task)

    counts = await effect_counts(consumer.db)
    assert sorted(counts) == list(range(100)) and set(counts.values()) == {1}
    assert await unpublished(producer.db) == 0
    for rt in (producer, consumer):
        await rt.db.dispose()
        await rt.bus.stop()


async def test_poison_message_lands_in_the_dead_letter_topic_and_the_consumer_moves_on(
    probe_database, kafka_bootstrap
):
    prefix = f"t{uuid.uuid4().hex[:8]}-"
    producer = _runtime(_settings(await probe_database("postgres"), kafka_bootstrap, prefix))
    consumer = _runtime(_settings(await probe_database("postgres"), kafka_bootstrap, prefix, consumer_max_attempts=2))
    await producer.bus.ensure_topics([TOPIC, "probe.dlq"])
    await emit(producer.db, range(8), poison={3})
    bus = KafkaBus(kafka_bootstrap, topic_prefix=prefix)
    from dgplan_shared.bus.base import OutgoingRecord

    await bus.publish([OutgoingRecord(TOPIC, "garbage", b"{broken json")])
    await bus.stop()

    stop = asyncio.Event()
    tasks = [asyncio.create_task(producer.relay().run(stop)), asyncio.create_task(consumer.consumer().run(stop))]
    try:
        await wait_for(lambda: _effects_at_least(consumer.db, 7), 60, "the 7 good events")
        dead = await _read_topic(kafka_bootstrap, prefix + "probe.dlq", 2, 60)
    finally:
        stop.set()
        await asyncio.gather(*tasks)

    reasons = sorted(dict(m.headers)["dlq_reason"].decode() for m in dead)
    assert any("never be handled" in r for r in reasons)
    assert any("unreadable envelope" in r for r in reasons)
    assert sorted(await effect_counts(consumer.db)) == [0, 1, 2, 4, 5, 6, 7]
    for rt in (producer, consumer):
        await rt.db.dispose()
        await rt.bus.stop()


async def _read_topic(bootstrap: str, topic: str, n: int, timeout: float):  # type: ignore[no-untyped-def]
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest")
    await consumer.start()
    out = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(out) < n and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for messages in batch.values():
                out.extend(messages)
        return out
    finally:
        await consumer.stop()
