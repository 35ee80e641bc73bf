"""Move every consumer group of the restored services to the end of its topics.

What the topics hold past that point in time are events of writes the restored owners lost (made
after their dumps): consumed, they would put into read models facts no owner holds any more. The
owners republish what they do hold (``republish_outbox``); the inboxes drop what was applied
already. The groups must be empty (their consumers stopped) for the broker to accept the commit.
"""

from __future__ import annotations

import asyncio
import time

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


async def partitions_of(bootstrap: str, topics: list[str]) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="restore-drill")
    await admin.start()
    try:
        described = await admin.describe_topics(topics)
    finally:
        await admin.close()
    return sorted(TopicPartition(t["topic"], p["partition"]) for t in described if not t["error_code"]
                  for p in t["partitions"])


async def committed_offsets(bootstrap: str, group: str) -> dict[TopicPartition, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="restore-drill")
    await admin.start()
    try:
        return {tp: meta.offset for tp, meta in (await admin.list_consumer_group_offsets(group)).items()}
    finally:
        await admin.close()


async def move_group_to_end(bootstrap: str, group: str, topics: list[str], timeout: float = 60) -> int:
    """Commit the end offset of every partition of ``topics`` for ``group``; returns the partitions
    moved, after reading the group's offsets back from the broker."""
    partitions = await partitions_of(bootstrap, topics)
    if not partitions:
        return 0
    deadline = time.monotonic() + timeout
    while True:
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False,
                                    client_id=f"restore-drill-{group}")
        await consumer.start()
        try:
            consumer.assign(partitions)
            ends = await consumer.end_offsets(partitions)
            await consumer.commit({tp: ends[tp] for tp in partitions})
            break
        except KafkaError:
            # A killed consumer of the group is still a member until its session times out; the
            # broker refuses the commit of a non-member until then.
            if time.monotonic() > deadline:
                raise
        finally:
            await consumer.stop()
        await asyncio.sleep(1)
    committed = await committed_offsets(bootstrap, group)
    behind = {tp: (committed.get(tp), ends[tp]) for tp in partitions if committed.get(tp) != ends[tp]}
    assert not behind, f"group {group} is not at the end of its topics: {behind}"
    return len(partitions)


async def republish_outbox(database_url: str) -> int:
    """Mark every event the restored owner holds as not yet published: its relay sends them again."""
    engine = create_async_engine(database_url, pool_size=1, max_overflow=0)
    try:
        async with engine.begin() as conn:
            return (await conn.execute(text("UPDATE outbox SET published_at = NULL"))).rowcount
    finally:
        await engine.dispose()
