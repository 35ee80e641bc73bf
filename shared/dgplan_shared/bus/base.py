"""The bus contract the outbox relay and the inbox consumer are written against."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field

from dgplan_shared.bus.availability import BrokerAvailability


@dataclass(frozen=True)
class OutgoingRecord:
    topic: str  # logical topic; the bus adds its prefix
    key: str
    value: bytes
    headers: list[tuple[str, bytes]] = field(default_factory=list)


# The CloudEvents Kafka binding tells the content mode by this header: with it the value is the
# whole JSON envelope (structured mode). Without it a reader falls back to binary mode and takes the
# envelope for the event's data, which is how every record looked before this header was sent.
CONTENT_TYPE_HEADER = "content-type"
STRUCTURED_JSON = "application/cloudevents+json"


def structured_mode_headers(traceparent: str | None = None) -> list[tuple[str, bytes]]:
    """Headers of a structured-mode record: the content type, and the W3C trace context.

    No ``ce_*`` headers: the binding allows them in structured mode, but the ``cloudevents`` SDK's
    ``from_kafka`` (2.2) decides by their presence alone that a record is binary mode, and its
    legacy ``from_structured`` turns every header into an attribute. The envelope in the value
    carries every attribute; the key (the subject) and the topic are what brokers route by.
    """
    headers = [(CONTENT_TYPE_HEADER, STRUCTURED_JSON.encode())]
    if traceparent:
        headers.append(("traceparent", traceparent.encode()))
    return headers


def next_offsets(records: Sequence[IncomingRecord]) -> dict[tuple[str, int], int]:
    """(topic, partition) -> the offset to commit after these records."""
    out: dict[tuple[str, int], int] = {}
    for r in records:
        key = (r.topic, r.partition)
        out[key] = max(out.get(key, 0), r.offset + 1)
    return out


@dataclass(frozen=True)
class IncomingRecord:
    topic: str  # logical topic (prefix removed)
    partition: int
    offset: int
    key: str | None
    value: bytes
    headers: list[tuple[str, bytes]] = field(default_factory=list)


class PublishFailed(Exception):
    """Some records of a batch were not acknowledged. ``acknowledged`` holds the indexes of those
    that were (they are on the topic): the caller must not send them again, or they appear twice."""

    def __init__(self, acknowledged: frozenset[int], cause: BaseException) -> None:
        super().__init__(f"{len(acknowledged)} record(s) acknowledged before {cause!r}")
        self.acknowledged = acknowledged
        self.cause = cause


class Subscription(ABC):
    """A consumer group member. Offsets are committed only by ``commit``, never automatically."""

    @abstractmethod
    async def start(self) -> None: ...

    @abstractmethod
    async def stop(self) -> None: ...

    @abstractmethod
    async def fetch(self, timeout: float = 1.0, max_records: int = 100) -> list[IncomingRecord]: ...

    @abstractmethod
    async def commit(self, records: Sequence[IncomingRecord]) -> None:
        """Mark these records, and everything before them in their partitions, done for this group."""

    async def rewind_to_committed(self) -> None:
        """After a failed record, make the next fetch start again at the last committed offset."""


class Bus(ABC):
    def __init__(self, topic_prefix: str = "", availability: BrokerAvailability | None = None) -> None:
        self.topic_prefix = topic_prefix
        # In process nothing restarts half-way, so a failed ping is an outage at once.
        self.availability = availability or BrokerAvailability("in-process bus", confirm_seconds=0, kind="memory")

    def physical(self, topic: str) -> str:
        return f"{self.topic_prefix}{topic}"

    def logical(self, topic: str) -> str:
        return topic[len(self.topic_prefix):] if self.topic_prefix and topic.startswith(self.topic_prefix) else topic

    async def start(self) -> None:
        """Open producer connections (idempotent)."""

    async def stop(self) -> None:
        """Flush and close producer connections."""

    @abstractmethod
    async def publish(self, records: Sequence[OutgoingRecord]) -> None:
        """Publish in order and return only when every record is durably acknowledged.

        Raises on failure: ``PublishFailed`` when the bus knows which records were acknowledged,
        anything else when none was. The caller (the relay) retries the rest; a crash between the
        acknowledgement and the relay's commit still publishes a record twice (at-least-once),
        which consumers absorb through their inbox.
        """

    @abstractmethod
    def subscribe(self, group: str, topics: Sequence[str]) -> Subscription: ...

    @abstractmethod
    async def ping(self) -> bool:
        """True when the bus is reachable (readiness)."""

    async def check(self) -> bool:
        """Ping, and record the answer: the first failure after success logs the outage, the first
        success after it logs its end."""
        if await self.ping():
            self.availability.report_up()
            return True
        self.availability.report_down(f"{self.availability.what} does not answer")
        return False

    async def ensure_topics(self, topics: Sequence[str], partitions: int | None = None) -> None:
        """Create topics that do not exist yet (no-op where topics are implicit)."""
