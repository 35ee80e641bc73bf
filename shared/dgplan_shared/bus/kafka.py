"""Apache Kafka through aiokafka, configured for no loss and no reordering.

The producer is idempotent with ``acks=all`` (aiokafka's defaults are weaker). Consumers never
auto-commit: the inbox consumer commits an offset only after the handler's database commit.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.client import AIOKafkaClient
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from aiokafka.structs import OffsetAndMetadata

from dgplan_shared.bus.availability import BrokerAvailability, quiet_client_logs
from dgplan_shared.bus.base import (
    Bus,
    IncomingRecord,
    OutgoingRecord,
    PublishFailed,
    Subscription,
    next_offsets,
)

log = logging.getLogger(__name__)

ACK_TIMEOUT_SECONDS = 60.0


def _retrieve(future: asyncio.Future) -> None:
    """Mark a settled future's exception as seen: the batch's failure is reported once, by publish."""
    if not future.cancelled():
        future.exception()


_AVAILABILITY: BrokerAvailability | None = None


def _process_availability(bootstrap_servers: str) -> BrokerAvailability:
    """One state per process: aiokafka's loggers, whose errors feed it, are process-wide too."""
    global _AVAILABILITY
    if _AVAILABILITY is None:
        _AVAILABILITY = BrokerAvailability(f"Kafka at {bootstrap_servers}")
        quiet_client_logs(_AVAILABILITY)
    return _AVAILABILITY


class KafkaBus(Bus):
    def __init__(
        self,
        bootstrap_servers: str,
        topic_prefix: str = "",
        client_id: str = "dgplan",
        partitions: int = 3,
        replication_factor: int = 1,
        session_timeout_ms: int = 10000,
    ) -> None:
        super().__init__(topic_prefix, _process_availability(bootstrap_servers))
        self.bootstrap_servers = bootstrap_servers
        self.partitions = partitions
        self.replication_factor = replication_factor
        self.session_timeout_ms = session_timeout_ms
        self.client_id = client_id
        self._producer: AIOKafkaProducer | None = None
        self._ping_cache: tuple[float, bool] = (0.0, False)
        self._ready_topics: set[str] = set()  # logical topics known to exist with partitions
        self._stopping: set[asyncio.Future] = set()  # discarded producers still flushing

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = AIOKafkaProducer(
                bootstrap_servers=self.bootstrap_servers,
                client_id=self.client_id,
                acks="all",
                enable_idempotence=True,
                linger_ms=2,
                request_timeout_ms=15000,
            )
            try:
                await producer.start()
            except BaseException:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def start(self) -> None:
        await self._ensure_producer()

    async def stop(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            # Flushing waits for the broker: a shutdown during an outage must not wait for it.
            stopping = asyncio.ensure_future(producer.stop())
            stopping.add_done_callback(_retrieve)
            await asyncio.wait([stopping], timeout=10)

    async def publish(self, records: Sequence[OutgoingRecord]) -> None:
        producer = await self._ensure_producer()
        futures: list[asyncio.Future] = []
        failure: BaseException | None = None
        try:
            # A topic's first record otherwise waits for the broker to auto-create it; if that wait
            # times out half-way through a batch, the records sent before it are already on their
            # topics and a whole-batch retry would put them there twice.
            await self._ensure_batch_topics(producer, records)
            for r in records:
                futures.append(
                    await producer.send(
                        self.physical(r.topic), value=r.value, key=r.key.encode(), headers=list(r.headers)
                    )
                )
        except asyncio.CancelledError:
            await self._discard_producer(futures)
            raise
        except Exception as exc:  # noqa: BLE001 - reported below with what was acknowledged
            failure = exc
        if futures:
            # Also after a failed send: what was sent before it may still be acknowledged.
            unacknowledged = await self._wait_for_acks(futures)
            failure = failure or unacknowledged
        acknowledged = frozenset(i for i, f in enumerate(futures) if f.done() and not f.cancelled() and f.exception() is None)
        failure = failure or next((f.exception() for f in futures if f.done() and not f.cancelled() and f.exception()), None)
        if failure is None:
            return
        # A failed idempotent producer may hold a broken sequence; start afresh next time.
        await self._discard_producer(futures)
        if not acknowledged:
            raise failure
        raise PublishFailed(acknowledged, failure) from failure

    async def _discard_producer(self, futures: list[asyncio.Future]) -> None:
        producer, self._producer = self._producer, None
        for future in futures:
            future.add_done_callback(_retrieve)  # settled later by the stopping producer, or never
        if producer is None:
            return
        # stop() flushes what is unsent first, which waits for the broker: let it finish in the
        # background (what it delivers then is at-least-once, as the relay resends the batch).
        stopping = asyncio.ensure_future(producer.stop())
        self._stopping.add(stopping)
        stopping.add_done_callback(self._stopping.discard)
        stopping.add_done_callback(_retrieve)
        await asyncio.wait([stopping], timeout=5)

    async def _wait_for_acks(self, futures: list[asyncio.Future]) -> BaseException | None:
        """Wait until the broker acknowledged every record, up to ``ACK_TIMEOUT_SECONDS``.

        The idempotent producer retries each batch until it is acknowledged and the broker keeps
        no duplicate of it, so an outage shorter than the bound still puts every record on its topic
        once. Meanwhile the bus's availability is kept current (one warning, a gauge, readiness).
        """
        deadline = time.monotonic() + ACK_TIMEOUT_SECONDS
        pending = set(futures)
        while pending:
            _, pending = await asyncio.wait(pending, timeout=1.0)
            if not pending:
                return None
            if self.availability.suspected:
                await self.check()
            if time.monotonic() > deadline:
                return asyncio.TimeoutError(f"{len(pending)} record(s) unacknowledged after {ACK_TIMEOUT_SECONDS}s")
        return None

    async def _ensure_batch_topics(self, producer: AIOKafkaProducer, records: Sequence[OutgoingRecord]) -> None:
        unknown = [t for t in dict.fromkeys(r.topic for r in records) if t not in self._ready_topics]
        if not unknown:
            return
        try:
            await self.ensure_topics(unknown)
        except KafkaError as exc:
            # Creating may be forbidden (ACLs) where an operator made the topics; the metadata
            # wait below still fails before anything is sent if one is really missing.
            log.debug("topics not created", extra={"topics": unknown, "error": repr(exc)})
        for topic in unknown:
            await producer.partitions_for(self.physical(topic))
            self._ready_topics.add(topic)

    def subscribe(self, group: str, topics: Sequence[str]) -> Subscription:
        return _KafkaSubscription(self, group, list(topics))

    async def ping(self) -> bool:
        checked_at, ok = self._ping_cache
        age = time.monotonic() - checked_at
        # A client that just saw a connection error wants a fresh answer (at most twice a second).
        if age < 5 and not (self.availability.suspected and age >= 0.5):
            return ok
        client = AIOKafkaClient(bootstrap_servers=self.bootstrap_servers, request_timeout_ms=3000)
        try:
            await asyncio.wait_for(client.bootstrap(), 3)
            ok = True
        except (KafkaError, OSError, asyncio.TimeoutError):
            ok = False
        finally:
            await client.close()
        self._ping_cache = (time.monotonic(), ok)
        return ok

    async def ensure_topics(self, topics: Sequence[str], partitions: int | None = None) -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers, client_id=self.client_id)
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            wanted = [self.physical(t) for t in topics]
            missing = [t for t in dict.fromkeys(wanted) if t not in existing]
            if missing:
                try:
                    await admin.create_topics(
                        [
                            NewTopic(t, num_partitions=partitions or self.partitions,
                                     replication_factor=self.replication_factor)
                            for t in missing
                        ]
                    )
                except TopicAlreadyExistsError:
                    pass  # another process created it first
        finally:
            await admin.close()


class _KafkaSubscription(Subscription):
    def __init__(self, bus: KafkaBus, group: str, topics: list[str]) -> None:
        self.bus = bus
        self.group = group
        self.topics = topics
        self._consumer: AIOKafkaConsumer | None = None

    async def start(self) -> None:
        await self.bus.ensure_topics(self.topics)
        consumer = AIOKafkaConsumer(
            *[self.bus.physical(t) for t in self.topics],
            bootstrap_servers=self.bus.bootstrap_servers,
            group_id=self.group,
            client_id=f"{self.bus.client_id}-{self.group}",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            max_poll_interval_ms=300000,
            session_timeout_ms=self.bus.session_timeout_ms,
            heartbeat_interval_ms=max(1000, self.bus.session_timeout_ms // 4),
        )
        await consumer.start()
        self._consumer = consumer

    async def stop(self) -> None:
        if self._consumer is not None:
            consumer, self._consumer = self._consumer, None
            await consumer.stop()

    @property
    def consumer(self) -> AIOKafkaConsumer:
        if self._consumer is None:
            raise RuntimeError("subscription not started")
        return self._consumer

    async def fetch(self, timeout: float = 1.0, max_records: int = 100) -> list[IncomingRecord]:
        batches = await self.consumer.getmany(timeout_ms=int(timeout * 1000), max_records=max_records)
        out: list[IncomingRecord] = []
        for tp, messages in batches.items():
            for m in messages:
                out.append(
                    IncomingRecord(
                        topic=self.bus.logical(tp.topic),
                        partition=tp.partition,
                        offset=m.offset,
                        key=m.key.decode() if m.key is not None else None,
                        value=m.value or b"",
                        headers=[(k, bytes(v)) for k, v in (m.headers or [])],
                    )
                )
        return out

    async def commit(self, records: Sequence[IncomingRecord]) -> None:
        offsets = {
            TopicPartition(self.bus.physical(topic), partition): OffsetAndMetadata(offset, "")
            for (topic, partition), offset in next_offsets(records).items()
        }
        if not offsets:
            return
        try:
            await self.consumer.commit(offsets)
        except KafkaError as exc:
            # A partition moved to another member during a rebalance. It redelivers from the last
            # committed offset, and the inbox makes the redelivery harmless.
            log.warning("offset commit refused", extra={"error": str(exc)})

    async def rewind_to_committed(self) -> None:
        consumer = self.consumer
        for tp in consumer.assignment():
            committed = await consumer.committed(tp)
            if committed is None:
                await consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, committed)
