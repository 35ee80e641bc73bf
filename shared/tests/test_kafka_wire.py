"""What an outside reader finds on real Kafka: records the official CloudEvents SDK reads as
structured mode, and each event id once on a topic after a fault-free run (fresh topics too)."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import orjson
import pytest
from aiokafka import AIOKafkaConsumer
from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.v1 import kafka as ce_kafka_v1
from sqlalchemy import select

from dgplan_shared.bus.base import OutgoingRecord, PublishFailed
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.service import build_runtime
from messaging_helpers import effect_counts, inbox_count, unpublished, wait_for
from probe_service.definition import ITEM_CREATED, TOPIC, Settings, definition, outbox

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]

# Four topics the broker has never seen: the probe consumer handles only the first type.
FRESH_TYPES = [ITEM_CREATED, "dgplan.probe.widget.created.v1", "dgplan.probe.gadget.created.v1",
               "dgplan.probe.gizmo.created.v1"]


def _runtime(url: str, bootstrap: str, prefix: str):  # type: ignore[no-untyped-def]
    settings = Settings(database_url=url, bus="kafka", kafka_bootstrap_servers=bootstrap, kafka_topic_prefix=prefix,
                        consumer_retry_backoff_seconds=0.05, consumer_session_timeout_ms=6000)
    return build_runtime(definition(), settings)


async def _emit(runtime, types: list[str], n: int) -> None:  # type: ignore[no-untyped-def]
    async with UnitOfWork(runtime.db, "probe", outbox) as uow:
        for seq in range(n):
            await uow.publish(types[seq % len(types)], f"item-{seq % 5}", {"seq": seq, "text": f"โครงการ {seq}"})
        await uow.commit()


async def _envelopes(runtime) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    async with runtime.db.session() as s:
        rows = (await s.execute(select(outbox.c.envelope))).all()
    return {e["id"]: e for e in (orjson.loads(r.envelope) for r in rows)}


async def _relay_until_published(runtime) -> None:  # type: ignore[no-untyped-def]
    stop = asyncio.Event()
    task = asyncio.create_task(runtime.relay().run(stop))
    try:
        await wait_for(lambda: _none_unpublished(runtime), 90, "the relay to publish the outbox")
    finally:
        stop.set()
        await task


async def _none_unpublished(runtime) -> bool:  # type: ignore[no-untyped-def]
    return await unpublished(runtime.db) == 0


async def _read_all(bootstrap: str, topics: list[str], at_least: int, timeout: float = 60):  # type: ignore[no-untyped-def]
    """Every record on these topics, read until at least ``at_least`` came and 2 s brought no more."""
    consumer = AIOKafkaConsumer(*topics, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest",
                                metadata_max_age_ms=1000)
    await consumer.start()
    out = []
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        quiet_since = loop.time()
        while loop.time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            got = [m for messages in batch.values() for m in messages]
            out.extend(got)
            if got:
                quiet_since = loop.time()
            elif len(out) >= at_least and loop.time() - quiet_since > 2:
                break
        return out
    finally:
        await consumer.stop()


def _sdk_message(record, cls):  # type: ignore[no-untyped-def]
    return cls(headers={k: bytes(v) for k, v in (record.headers or [])}, key=record.key, value=record.value)


async def test_the_official_cloudevents_sdk_reads_every_relayed_record_as_structured_mode(
    probe_database, kafka_bootstrap
):
    prefix = f"t{uuid.uuid4().hex[:8]}-"
    producer = _runtime(await probe_database("postgres"), kafka_bootstrap, prefix)
    await producer.bus.ensure_topics([TOPIC])
    await _emit(producer, [ITEM_CREATED], 5)
    expected = await _envelopes(producer)
    await _relay_until_published(producer)
    records = await _read_all(kafka_bootstrap, [prefix + TOPIC], at_least=5)
    assert len(records) == 5

    for record in records:
        headers = dict(record.headers)
        assert headers["content-type"] == b"application/cloudevents+json"
        sent = expected[orjson.loads(record.value)["id"]]
        # The SDK's own mode detection (what a consumer that does not know us calls), its explicit
        # structured reader, and the legacy v1 reader must all see the same event.
        for event in (
            ce_kafka.from_kafka_event(_sdk_message(record, ce_kafka.KafkaMessage)),
            ce_kafka.from_structured_event(_sdk_message(record, ce_kafka.KafkaMessage)),
        ):
            assert event.get_id() == sent["id"]
            assert event.get_type() == sent["type"]
            assert event.get_source() == sent["source"]
            assert event.get_subject() == sent["subject"]
            assert event.get_datacontenttype() == "application/json"
            assert event.get_data() == sent["data"]
            assert event.get_extension("correlationid") == sent["correlationid"]
        legacy = ce_kafka_v1.from_structured(_sdk_message(record, ce_kafka_v1.KafkaMessage))
        assert (legacy["id"], legacy["type"], legacy["source"], legacy["subject"]) == (
            sent["id"], sent["type"], sent["source"], sent["subject"])
        assert legacy.get_data() == sent["data"]
    await producer.db.dispose()
    await producer.bus.stop()


async def test_consumers_still_read_records_published_before_the_content_type_header(
    probe_database, kafka_bootstrap
):
    """Records already on the topics carry ``ce_*`` headers and no ``content-type``."""
    prefix = f"t{uuid.uuid4().hex[:8]}-"
    consumer = _runtime(await probe_database("postgres"), kafka_bootstrap, prefix)
    await consumer.bus.ensure_topics([TOPIC])
    event_id = str(uuid.uuid4())
    envelope = {"specversion": "1.0", "id": event_id, "source": "/dgplan/probe", "type": ITEM_CREATED,
                "subject": "item-1", "time": "2026-01-05T03:00:00Z", "datacontenttype": "application/json",
                "data": {"seq": 7, "text": "ก่อนหน้า"}}
    old_headers = [("ce_id", event_id.encode()), ("ce_type", ITEM_CREATED.encode()),
                   ("ce_source", b"/dgplan/probe"), ("ce_subject", b"item-1"), ("ce_specversion", b"1.0")]
    await consumer.bus.publish([OutgoingRecord(TOPIC, "item-1", orjson.dumps(envelope), old_headers)])

    stop = asyncio.Event()
    task = asyncio.create_task(consumer.consumer().run(stop))
    try:
        await wait_for(lambda: _inbox_has(consumer, 1), 60, "the old-style record to be handled")
    finally:
        stop.set()
        await task

    assert await effect_counts(consumer.db) == {7: 1}
    await consumer.db.dispose()
    await consumer.bus.stop()


async def _inbox_has(runtime, n: int) -> bool:  # type: ignore[no-untyped-def]
    return await inbox_count(runtime.db) >= n


async def test_a_fault_free_first_publish_to_topics_that_do_not_exist_puts_each_id_on_the_wire_once(
    probe_database, kafka_bootstrap
):
    prefix = f"t{uuid.uuid4().hex[:8]}-"
    producer = _runtime(await probe_database("postgres"), kafka_bootstrap, prefix)
    topics = sorted({prefix + f"probe.{t.split('.')[2]}.events" for t in FRESH_TYPES})
    # No ensure_topics here: the relay meets four topics the broker has never seen, in one batch.
    await _emit(producer, FRESH_TYPES, 400)
    expected = await _envelopes(producer)
    await _relay_until_published(producer)

    records = await _read_all(kafka_bootstrap, topics, at_least=len(expected))
    on_the_wire = Counter(orjson.loads(r.value)["id"] for r in records)
    assert set(on_the_wire) == set(expected), "every committed event is on its topic"
    twice = {i: n for i, n in on_the_wire.items() if n > 1}
    assert twice == {}, f"{len(twice)} of {len(expected)} ids appear more than once without any fault"
    await producer.db.dispose()
    await producer.bus.stop()


async def test_a_batch_that_fails_half_way_is_not_resent_whole(probe_database, kafka_bootstrap):
    """Kafka acknowledges records one by one: what it acknowledged before a failure stays published,
    and the retry sends only the rest (a record the broker refuses stops its batch half-way)."""
    prefix = f"t{uuid.uuid4().hex[:8]}-"
    producer = _runtime(await probe_database("postgres"), kafka_bootstrap, prefix)
    await producer.bus.ensure_topics([TOPIC])
    async with UnitOfWork(producer.db, "probe", outbox) as uow:
        for seq in range(10):
            await uow.publish(ITEM_CREATED, f"item-{seq % 5}", {"seq": seq})
        # Over the producer's 1 MiB request limit: refused before it is sent.
        await uow.publish(ITEM_CREATED, "item-big", {"seq": 10, "text": "ก" * 400_000})
        for seq in range(11, 15):
            await uow.publish(ITEM_CREATED, "item-big" if seq == 12 else f"item-{seq % 5}", {"seq": seq})
        await uow.commit()
    expected = await _envelopes(producer)

    with pytest.raises(Exception) as refused:
        await producer.relay().publish_batch()
    assert await unpublished(producer.db) == 5, "the ten records before the refused one stay published"
    assert isinstance(refused.value, PublishFailed) and len(refused.value.acknowledged) == 10

    async with producer.db.session() as s, s.begin():
        big = next(e for e in expected.values() if e["data"]["seq"] == 10)
        big["data"]["text"] = "ย่อแล้ว"
        await s.execute(outbox.update().where(outbox.c.event_id == big["id"]).values(envelope=orjson.dumps(big).decode()))
    await _relay_until_published(producer)

    records = await _read_all(kafka_bootstrap, [prefix + TOPIC], at_least=15)
    on_the_wire = Counter(orjson.loads(r.value)["id"] for r in records)
    assert on_the_wire == Counter({i: 1 for i in expected}), "each id once: nothing acknowledged was resent"
    # Per key, the order of the outbox is the order on the topic.
    by_key: dict[bytes, list[int]] = {}
    for r in sorted(records, key=lambda r: (r.partition, r.offset)):
        by_key.setdefault(r.key, []).append(orjson.loads(r.value)["data"]["seq"])
    assert all(seqs == sorted(seqs) for seqs in by_key.values()), by_key
    await producer.db.dispose()
    await producer.bus.stop()
