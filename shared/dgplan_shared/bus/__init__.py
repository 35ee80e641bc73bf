"""One bus interface, two implementations: Apache Kafka (distributed) and in-process (embedded)."""

from dgplan_shared.bus.memory import InMemoryBus
from dgplan_shared.bus.base import Bus, IncomingRecord, OutgoingRecord, Subscription

__all__ = ["Bus", "IncomingRecord", "OutgoingRecord", "Subscription", "build_bus"]


def build_bus(
    kind: str,
    *,
    bootstrap_servers: str = "",
    topic_prefix: str = "",
    client_id: str = "dgplan",
    partitions: int = 3,
    replication_factor: int = 1,
    session_timeout_ms: int = 10000,
) -> Bus:
    if kind == "kafka":
        from dgplan_shared.bus.kafka import KafkaBus  # lazy: aiokafka loads only where Kafka is used

        return KafkaBus(
            bootstrap_servers,
            topic_prefix=topic_prefix,
            client_id=client_id,
            partitions=partitions,
            replication_factor=replication_factor,
            session_timeout_ms=session_timeout_ms,
        )
    if kind == "memory":

        return InMemoryBus(topic_prefix=topic_prefix)
    raise ValueError(f"unknown bus {kind!r}")
