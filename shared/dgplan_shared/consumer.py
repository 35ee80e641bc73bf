"""Inbox consumer: exactly one effect per event, whatever the bus redelivers.

For each record: parse the envelope, then in ONE database transaction insert
(consumer, source, event id) into the inbox and run the handler; commit; only then commit the
offset. A redelivered event finds its inbox row and is skipped. A handler that keeps failing
sends the record to the dead-letter topic ``<consumer>.dlq`` after ``max_attempts`` tries and
the consumer moves on; an unreadable record goes there at once. Database or bus outages are
not the message's fault: they are waited out without counting tries.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from prometheus_client import Counter
from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from dgplan_shared import tracing
from dgplan_shared.bus.availability import backoff_delay
from dgplan_shared.bus.base import Bus, IncomingRecord, OutgoingRecord, Subscription
from dgplan_shared.context import causation_id_var, correlation_id_var, traceparent_var, valid_traceparent
from dgplan_shared.db.engine import Database
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent, EnvelopeError

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, CloudEvent], Awaitable[None]]

OUTCOMES = Counter("dgplan_inbox_events_total", "Consumed events by outcome", ["consumer", "outcome"])


class EventHandlers:
    """Handlers by exact CloudEvents type. Types nobody handles are skipped (tolerant reader)."""

    def __init__(self) -> None:
        self._by_type: dict[str, Handler] = {}

    def on(self, *event_types: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for event_type in event_types:
                if event_type in self._by_type:
                    raise ValueError(f"two handlers for {event_type}")
                self._by_type[event_type] = handler
            return handler

        return register

    def get(self, event_type: str) -> Handler | None:
        return self._by_type.get(event_type)

    @property
    def types(self) -> list[str]:
        return sorted(self._by_type)


class TransientInfrastructureError(Exception):
    """The database or bus is unreachable: retry later without blaming the message."""


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, (OperationalError, InterfaceError, OSError, ConnectionError, asyncio.TimeoutError)):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


@dataclass
class InboxConsumer:
    db: Database
    bus: Bus
    service: str
    group: str
    topics: Sequence[str]
    handlers: EventHandlers
    inbox: Table
    outbox: Table
    max_attempts: int = 5
    backoff: float = 0.2
    max_backoff: float = 5.0
    _subscription: Subscription | None = field(default=None, init=False)

    @property
    def dlq_topic(self) -> str:
        return f"{self.group}.dlq"

    async def _record_and_handle(self, event: CloudEvent, handler: Handler | None) -> bool:
        """One transaction: inbox row + handler effects. False when the event was seen before."""
        insert = pg_insert if self.db.is_postgres else sqlite_insert
        uow = UnitOfWork(self.db, self.service, self.outbox)
        async with uow:
            result = await uow.session.execute(
                insert(self.inbox)
                .values(
                    consumer=self.group,
                    source=event.source,
                    event_id=event.id,
                    event_type=event.type,
                    processed_at=utcnow(),
                )
                .on_conflict_do_nothing()
            )
            if result.rowcount == 0:
                return False
            if handler is not None:
                await handler(uow, event)
            await uow.commit()
        return True

    async def handle_record(self, record: IncomingRecord) -> str:
        """Process one record to a final outcome; raises TransientInfrastructureError to retry later."""
        try:
            event = CloudEvent.from_json(record.value)
        except EnvelopeError as exc:
            await self._dead_letter(record, f"unreadable envelope: {exc}", attempts=0)
            return "dead-lettered"
        handler = self.handlers.get(event.type)
        # The record's header names the relay's PRODUCER span; the envelope, the request that wrote it.
        parent = valid_traceparent(_header(record, "traceparent")) or event.traceparent
        with tracing.span(f"apply {event.type}", tracing.CONSUMER, parent, **{
                "messaging.system": "kafka", "messaging.destination.name": record.topic,
                "messaging.message.id": event.id, "messaging.consumer.group.name": self.group}) as applied_as:
            return await self._handle_in_context(record, event, handler, applied_as)

    async def _handle_in_context(
        self, record: IncomingRecord, event: CloudEvent, handler: Any, traceparent: str | None
    ) -> str:
        tokens = (
            causation_id_var.set(event.id),
            correlation_id_var.set(event.correlationid or event.id),
            traceparent_var.set(traceparent),
        )
        try:
            delay = self.backoff
            last_error: BaseException | None = None
            for attempt in range(1, self.max_attempts + 1):
                try:
                    fresh = await self._record_and_handle(event, handler)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - classify, then retry or dead-letter
                    if _is_transient(exc):
                        raise TransientInfrastructureError(str(exc)) from exc
                    last_error = exc
                    log.warning(
                        "event handler failed",
                        extra={"event_id": event.id, "event_type": event.type, "attempt": attempt, "error": repr(exc)},
                    )
                    if attempt < self.max_attempts:
                        await asyncio.sleep(delay)
                        delay = min(delay * 2, self.max_backoff)
                    continue
                outcome = ("processed" if handler else "ignored") if fresh else "duplicate"
                OUTCOMES.labels(self.group, outcome).inc()
                return outcome
            await self._dead_letter(record, repr(last_error), attempts=self.max_attempts)
            return "dead-lettered"
        finally:
            for var, token in zip((causation_id_var, correlation_id_var, traceparent_var), tokens):
                var.reset(token)

    async def _dead_letter(self, record: IncomingRecord, reason: str, attempts: int) -> None:
        headers = list(record.headers) + [
            ("dlq_reason", reason[:2000].encode()),
            ("dlq_source_topic", record.topic.encode()),
            ("dlq_source_partition", str(record.partition).encode()),
            ("dlq_source_offset", str(record.offset).encode()),
            ("dlq_attempts", str(attempts).encode()),
        ]
        try:
            await self.bus.publish([OutgoingRecord(self.dlq_topic, record.key or "", record.value, headers)])
        except Exception as exc:  # noqa: BLE001
            raise TransientInfrastructureError(f"dead-letter publish failed: {exc}") from exc
        OUTCOMES.labels(self.group, "dead-lettered").inc()
        log.error(
            "event sent to dead-letter topic",
            extra={"dlq_topic": self.dlq_topic, "reason": reason[:500], "offset": record.offset},
        )

    async def _start_subscription(self, stop: asyncio.Event) -> Subscription | None:
        attempt = 0
        while not stop.is_set():
            subscription = self.bus.subscribe(self.group, self.topics)
            try:
                await subscription.start()
                if attempt:
                    self.bus.availability.report_up()
                return subscription
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - wait for the broker
                attempt += 1
                delay = backoff_delay(attempt, self.backoff or 0.1, self.max_backoff)
                if await self._bus_is_up() and attempt == 1:
                    log.warning("consumer cannot subscribe yet", extra={"error": repr(exc), "retry_in": round(delay, 2)})
                try:
                    await subscription.stop()
                except Exception:  # noqa: BLE001
                    pass
                await _sleep_unless_stopped(stop, delay)
        return None

    async def _bus_is_up(self) -> bool:
        """Check the bus; a down bus is logged once by its availability, so callers log only the rest."""
        self.bus.availability.suspected = True  # the cached ping answer predates this failure
        try:
            return await self.bus.check()
        except Exception:  # noqa: BLE001 - a failing check says as much as a failed one
            return False

    async def run(self, stop: asyncio.Event) -> None:
        subscription = await self._start_subscription(stop)
        if subscription is None:
            return
        self._subscription = subscription
        log.info("consumer started", extra={"group": self.group, "topics": list(self.topics)})
        failures = 0
        try:
            while not stop.is_set():
                try:
                    records = await subscription.fetch(timeout=0.5, max_records=200)
                    done: list[IncomingRecord] = []
                    try:
                        for record in records:
                            await self.handle_record(record)
                            done.append(record)
                            if stop.is_set():
                                break
                    finally:
                        # Offsets only for records whose effects are committed (or dead-lettered).
                        await subscription.commit(done)
                    if stop.is_set() and len(done) < len(records):
                        break
                    if records:
                        self.bus.availability.report_up()
                    elif self.bus.availability.suspected or self.bus.availability.available is False:
                        # An idle consumer learns of an outage (and of its end) only by asking.
                        await self.bus.check()
                    if failures:
                        log.info("consumer resumed", extra={"group": self.group, "failed_attempts": failures})
                    failures = 0
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - outages are waited out; records redeliver
                    failures += 1
                    delay = backoff_delay(failures, self.backoff or 0.1, self.max_backoff)
                    if await self._bus_is_up() and failures == 1:
                        log.warning("consumer paused by an outage", extra={"error": repr(exc), "retry_in": round(delay, 2)})
                    await _sleep_unless_stopped(stop, delay)
                    try:
                        await subscription.rewind_to_committed()
                    except Exception:  # noqa: BLE001 - the next fetch will try again
                        pass
        finally:
            self._subscription = None
            await subscription.stop()
            log.info("consumer stopped", extra={"group": self.group})


async def _sleep_unless_stopped(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except asyncio.TimeoutError:
        pass


def dead_letter_reason(record: IncomingRecord) -> str | None:
    return next((v.decode() for k, v in record.headers if k == "dlq_reason"), None)


def envelope_data(record: IncomingRecord) -> dict:
    return orjson.loads(record.value).get("data", {})


def _header(record: IncomingRecord, name: str) -> str | None:
    value = next((v for k, v in record.headers if k == name), None)
    return value.decode("latin-1") if value else None
