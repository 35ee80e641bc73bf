"""The trace crosses a real Kafka broker: events written inside a request's span are published by
the relay under PRODUCER spans whose traceparent rides in the Kafka record's header, and the
consumer on the other side (its own database, as another service) applies each under a CONSUMER
span child of that producer, in the same trace, with its SQL beneath it."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from dgplan_shared import tracing
from dgplan_shared.context import traceparent_var
from dgplan_shared.service import build_runtime
from messaging_helpers import effect_counts, emit, wait_for
from probe_service.definition import TOPIC, Settings, definition

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]


def _settings(url: str, bootstrap: str, prefix: str) -> Settings:
    return Settings(database_url=url, bus="kafka", kafka_bootstrap_servers=bootstrap, kafka_topic_prefix=prefix,
                    consumer_retry_backoff_seconds=0.05, consumer_session_timeout_ms=6000)


async def test_a_requests_events_are_one_trace_across_kafka(probe_database, kafka_bootstrap) -> None:  # type: ignore[no-untyped-def]
    exporter = InMemorySpanExporter()
    tracing.install(exporter, "probe", batch=False)
    prefix = f"t{uuid.uuid4().hex[:8]}-"
    producer = build_runtime(definition(), _settings(await probe_database("postgres"), kafka_bootstrap, prefix))
    consumer = build_runtime(definition(), _settings(await probe_database("postgres"), kafka_bootstrap, prefix))
    stop = asyncio.Event()
    try:
        await producer.bus.ensure_topics([TOPIC])
        with tracing.span("POST /probe", tracing.SERVER, None) as request_span:
            token = traceparent_var.set(request_span)
            try:
                await emit(producer.db, range(3))
            finally:
                traceparent_var.reset(token)
        tasks = [asyncio.create_task(producer.relay().run(stop)), asyncio.create_task(consumer.consumer().run(stop))]
        try:
            async def all_applied() -> bool:
                return sorted(await effect_counts(consumer.db)) == [0, 1, 2]

            await wait_for(all_applied, 60, "the three events applied on the other side of Kafka")
        finally:
            stop.set()
            await asyncio.gather(*tasks)
    finally:
        for rt in (producer, consumer):
            await rt.db.dispose()
            await rt.bus.stop()
        tracing.uninstall()

    trace_id = int(request_span.split("-")[1], 16)
    request_id = int(request_span.split("-")[2], 16)
    spans = [s for s in exporter.get_finished_spans() if s.context.trace_id == trace_id]
    producers = {s.context.span_id: s for s in spans if s.kind == SpanKind.PRODUCER}
    consumers = [s for s in spans if s.kind == SpanKind.CONSUMER]
    assert len(producers) == 3 and {s.parent.span_id for s in producers.values()} == {request_id}
    assert all(s.attributes["messaging.destination.name"] == TOPIC for s in producers.values())
    # Each event's CONSUMER span hangs under the PRODUCER span that sent it (the Kafka header).
    assert len(consumers) == 3 and {s.parent.span_id for s in consumers} == set(producers)
    assert {s.attributes["messaging.message.id"] for s in consumers} == {
        s.attributes["messaging.message.id"] for s in producers.values()}
    consumer_ids = {s.context.span_id for s in consumers}
    assert any(s.kind == SpanKind.CLIENT and s.parent and s.parent.span_id in consumer_ids for s in spans), \
        "the consumer's SQL is traced under its span"
