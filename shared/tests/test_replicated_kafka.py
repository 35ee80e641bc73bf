"""Delivery over a replicated Kafka cluster (three KRaft nodes, replication factor 3,
``min.insync.replicas`` 2): the partition leader is SIGKILLed while the relay publishes and the
consumer applies; nothing is lost, nothing is applied twice, each aggregate's events stay in order,
and the killed node rejoins."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import select

from dgplan_shared.db.engine import Database
from dgplan_shared.service import build_runtime
from dgplan_shared.testing.kafka_cluster import KafkaCluster
from dgplan_shared.testing.plugin import require_infra
from messaging_helpers import emit, wait_for
from probe_service.definition import TOPIC, Settings, definition, effects

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):  # type: ignore[no-untyped-def]
    cluster = KafkaCluster(tmp_path_factory.mktemp("kafka-cluster"), size=3)
    try:
        cluster.start()
    except Exception as exc:  # noqa: BLE001 - report why
        cluster.stop()
        require_infra(f"a three-node Kafka cluster: {exc}")
    yield cluster
    cluster.stop()


def _settings(url: str, cluster: KafkaCluster, prefix: str) -> Settings:
    return Settings(database_url=url, bus="kafka", kafka_bootstrap_servers=cluster.bootstrap,
                    kafka_topic_prefix=prefix, kafka_topic_replication_factor=3,
                    consumer_retry_backoff_seconds=0.05, consumer_session_timeout_ms=6000)


async def _describe(cluster: KafkaCluster, topic: str, seconds: float = 30) -> list[dict]:
    """The topic's partitions once every broker's metadata has them (a topic just created may be
    described with none for a moment on a busy machine)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=cluster.bootstrap)
    await admin.start()
    try:
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            (described,) = await admin.describe_topics([topic])
            if described["partitions"] or asyncio.get_running_loop().time() > deadline:
                return described["partitions"]
            await asyncio.sleep(0.2)
    finally:
        await admin.close()


async def _applied_in_order(db: Database) -> list[int]:
    async with db.session() as session:
        return list((await session.execute(select(effects.c.seq).order_by(effects.c.id))).scalars())


async def test_the_partition_leader_dies_mid_stream_and_every_event_is_applied_once_in_order(
    probe_database, cluster
):
    prefix = f"r{uuid.uuid4().hex[:8]}-"
    producer = build_runtime(definition(), _settings(await probe_database("postgres"), cluster, prefix))
    consumer = build_runtime(definition(), _settings(await probe_database("postgres"), cluster, prefix))
    await producer.bus.ensure_topics([TOPIC])
    partitions = await _describe(cluster, prefix + TOPIC)
    assert {len(p["replicas"]) for p in partitions} == {3}, partitions

    stop = asyncio.Event()
    relay = asyncio.create_task(producer.relay().run(stop))
    applier = asyncio.create_task(consumer.consumer().run(stop))
    try:
        await emit(producer.db, range(0, 150))
        await wait_for(lambda: _at_least(consumer.db, 50), 90, "50 events applied before the kill")
        leader = next(p["leader"] for p in partitions if p["partition"] == 0)
        cluster.kill(leader)
        await emit(producer.db, range(150, 300))
        await wait_for(lambda: _at_least(consumer.db, 300), 120, "all 300 events applied after the leader died")
        moved = await _describe(cluster, prefix + TOPIC)
        assert all(p["leader"] != leader for p in moved if p["partition"] == 0), "leadership moved"

        cluster.restart(leader)
        await wait_for(lambda: _in_sync(cluster, prefix + TOPIC, 3), 90, "the restarted node back in sync")
    finally:
        stop.set()
        await asyncio.gather(relay, applier, return_exceptions=True)
        for runtime in (producer, consumer):
            await runtime.bus.stop()
            await runtime.db.dispose()

    db = Database.from_url(consumer.settings.database_url)
    try:
        applied = await _applied_in_order(db)
    finally:
        await db.dispose()
    assert sorted(applied) == list(range(300)), "nothing lost, nothing applied twice"
    by_key: dict[int, list[int]] = defaultdict(list)
    for seq in applied:
        by_key[seq % 7].append(seq)  # the probe keys its events item-<seq % 7>
    assert all(seqs == sorted(seqs) for seqs in by_key.values()), "each aggregate's events in order"


async def _at_least(db: Database, n: int) -> bool:
    return len(await _applied_in_order(db)) >= n


async def _in_sync(cluster: KafkaCluster, topic: str, replicas: int) -> bool:
    try:
        return all(len(p["isr"]) == replicas for p in await _describe(cluster, topic))
    except Exception:  # noqa: BLE001 - the cluster is still settling
        return False
