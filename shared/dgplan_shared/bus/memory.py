"""In-process bus for the embedded default and fast unit tests.

It keeps Kafka's contract where it matters to the code above it: per-topic ordered logs, one
committed offset per consumer group, redelivery from the committed offset after a failure, and
publish order preserved. It does not survive the process; the embedded runner drains consumers
before it exits (see ``dgplan_shared.embedded``).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence

from dgplan_shared.bus.base import Bus, IncomingRecord, OutgoingRecord, Subscription, next_offsets


class InMemoryBus(Bus):
    def __init__(self, topic_prefix: str = "") -> None:
        super().__init__(topic_prefix)
        self.logs: dict[str, list[IncomingRecord]] = defaultdict(list)
        self.committed: dict[tuple[str, str], int] = {}  # (group, topic) -> next offset
        self._changed = asyncio.Condition()
        self.available = True  # tests flip this to simulate an outage

    async def publish(self, records: Sequence[OutgoingRecord]) -> None:
        if not self.available:
            raise ConnectionError("in-memory bus is unavailable")
        async with self._changed:
            for record in records:
                log = self.logs[record.topic]
                log.append(
                    IncomingRecord(record.topic, 0, len(log), record.key, record.value, list(record.headers))
                )
            self._changed.notify_all()

    def subscribe(self, group: str, topics: Sequence[str]) -> Subscription:
        return _MemorySubscription(self, group, list(topics))

    async def ping(self) -> bool:
        return self.available

    def lag(self, group: str, topics: Sequence[str]) -> int:
        return sum(len(self.logs[t]) - self.committed.get((group, t), 0) for t in topics)

    async def wait_until(self, ready, timeout: float):  # type: ignore[no-untyped-def]
        """Return ``ready()`` once it is truthy or the timeout passes; checked under the publish lock
        so a publish between the check and the wait is never missed."""
        async with self._changed:
            result = ready()
            if not result:
                try:
                    await asyncio.wait_for(self._changed.wait_for(ready), timeout)
                except asyncio.TimeoutError:
                    pass
                result = ready()
            return result


class _MemorySubscription(Subscription):
    def __init__(self, bus: InMemoryBus, group: str, topics: list[str]) -> None:
        self.bus = bus
        self.group = group
        self.topics = topics
        self.position: dict[str, int] = {}

    async def start(self) -> None:
        await self.rewind_to_committed()

    async def stop(self) -> None:
        self.position.clear()

    async def rewind_to_committed(self) -> None:
        self.position = {t: self.bus.committed.get((self.group, t), 0) for t in self.topics}

    def _pending(self, max_records: int) -> list[IncomingRecord]:
        out: list[IncomingRecord] = []
        for topic in self.topics:
            log = self.bus.logs[topic]
            start = self.position.get(topic, 0)
            chunk = log[start : start + (max_records - len(out))]
            out.extend(chunk)
            self.position[topic] = start + len(chunk)
            if len(out) >= max_records:
                break
        return out

    async def fetch(self, timeout: float = 1.0, max_records: int = 100) -> list[IncomingRecord]:
        if not self.bus.available:
            await asyncio.sleep(min(timeout, 0.05))
            return []
        has_pending = lambda: any(len(self.bus.logs[t]) > self.position.get(t, 0) for t in self.topics)  # noqa: E731
        await self.bus.wait_until(has_pending, timeout)
        return self._pending(max_records)

    async def commit(self, records: Sequence[IncomingRecord]) -> None:
        for (topic, _partition), offset in next_offsets(records).items():
            key = (self.group, topic)
            self.bus.committed[key] = max(self.bus.committed.get(key, 0), offset)
