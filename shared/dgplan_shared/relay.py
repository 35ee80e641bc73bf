"""Outbox relay: publishes committed outbox rows to the bus, in id order, forever.

Each batch runs in one transaction that first takes a transaction-scoped advisory lock on
PostgreSQL, so only one relay replica publishes at a time (order is kept) and a crashed
replica's lock vanishes with its connection. Rows are marked published only after the bus
acknowledged them: a crash in between republishes them, never loses them; consumers' inboxes
absorb the duplicate. A batch the bus acknowledged only in part keeps that part published, so a
fault-free retry resends nothing that is already on its topic.
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Sequence
from contextlib import ExitStack

from prometheus_client import Counter, Gauge
from sqlalchemy import Table, func, select, text, update

from dgplan_shared import tracing
from dgplan_shared.bus.availability import backoff_delay
from dgplan_shared.bus.base import Bus, OutgoingRecord, PublishFailed, structured_mode_headers
from dgplan_shared.db.engine import Database
from dgplan_shared.db.types import utcnow
from dgplan_shared.events import CloudEvent
from dgplan_shared.outbox_wakeup import CommitWakeup

log = logging.getLogger(__name__)

PUBLISHED = Counter("dgplan_outbox_published_total", "Outbox events published", ["service"])
FAILURES = Counter("dgplan_outbox_publish_failures_total", "Failed outbox publish attempts", ["service"])
PENDING = Gauge("dgplan_outbox_pending", "Outbox events not yet published (last seen)", ["service"])


def in_order_prefix(records: Sequence[OutgoingRecord], acknowledged: frozenset[int]) -> list[int]:
    """Indexes of acknowledged records that no unacknowledged record of the same key precedes.

    Each aggregate's events must reach its topic in order; a record acknowledged after an earlier
    one of its key failed is left for the retry too (it is then published twice, never reordered).
    """
    blocked: set[tuple[str, str]] = set()
    out = []
    for i, record in enumerate(records):
        key = (record.topic, record.key)
        if i in acknowledged and key not in blocked:
            out.append(i)
        else:
            blocked.add(key)
    return out


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        bus: Bus,
        outbox: Table,
        *,
        service: str,
        batch_size: int = 500,
        poll_interval: float = 0.05,
        idle_poll_interval: float = 1.0,
        max_backoff: float = 5.0,
    ) -> None:
        self.db = db
        self.bus = bus
        self.outbox = outbox
        self.service = service
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        # The safety net while commits wake the relay (outbox_wakeup); the fast poll otherwise.
        self.idle_poll_interval = max(idle_poll_interval, poll_interval)
        self.max_backoff = max_backoff
        self._lock_key = zlib.crc32(f"dgplan-outbox-relay:{service}".encode())

    async def publish_batch(self) -> int:
        """Publish one batch; return how many rows it published (0: empty or another relay leads)."""
        o = self.outbox
        async with self.db.session() as session, session.begin():
            if self.db.is_postgres:
                leader = await session.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": self._lock_key})
                if not leader:
                    return 0
            rows = (
                await session.execute(
                    select(o.c.id, o.c.topic, o.c.key, o.c.envelope)
                    .where(o.c.published_at.is_(None))
                    .order_by(o.c.id)
                    .limit(self.batch_size)
                )
            ).all()
            if not rows:
                return 0
            failed: PublishFailed | None = None
            # One PRODUCER span per event, under the request that wrote it, open while the batch is
            # sent; the record's traceparent header names it, so the consumer's span hangs under it.
            with ExitStack() as spans:
                records = []
                for row in rows:
                    event = CloudEvent.from_json(row.envelope)
                    sent_as = spans.enter_context(tracing.span(
                        f"publish {row.topic}", tracing.PRODUCER, event.traceparent, **{
                            "messaging.system": "kafka", "messaging.destination.name": row.topic,
                            "messaging.message.id": event.id, "dgplan.service": self.service}))
                    records.append(
                        OutgoingRecord(row.topic, row.key, row.envelope.encode(), structured_mode_headers(sent_as))
                    )
                try:
                    await self.bus.publish(records)
                    done = [r.id for r in rows]
                except PublishFailed as exc:
                    # Part of the batch is on its topics: mark that part, so the retry sends only the rest.
                    failed = exc
                    done = [rows[i].id for i in in_order_prefix(records, exc.acknowledged)]
            # Any other failure propagates: the transaction rolls back and the rows stay unpublished.
            if done:
                await session.execute(update(o).where(o.c.id.in_(done)).values(published_at=utcnow()))
        PUBLISHED.labels(self.service).inc(len(done))
        if failed is not None:
            raise failed
        return len(done)

    async def pending(self) -> int:
        async with self.db.session() as session:
            count = await session.scalar(
                select(func.count()).select_from(self.outbox).where(self.outbox.c.published_at.is_(None))
            )
        return int(count or 0)

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until ``stop`` is set; broker or database outages are waited out, never fatal.

        Retries back off exponentially with jitter up to ``max_backoff``. A broker outage is logged
        once by the bus's availability (and once more when it ends), any other failure once per
        streak of failures, not once per retry.
        """
        wakeup = CommitWakeup(self.service, self.db)
        await wakeup.start()
        log.info("outbox relay started", extra={"relay_service": self.service, "woken": wakeup.complete})
        try:
            await self._loop(stop, wakeup)
        finally:
            await wakeup.close()
        log.info("outbox relay stopped", extra={"relay_service": self.service})

    async def _loop(self, stop: asyncio.Event, wakeup: CommitWakeup) -> None:
        failures = 0
        while not stop.is_set():
            delay = self.idle_poll_interval if wakeup.complete else self.poll_interval
            try:
                if self.bus.availability.suspected:
                    await self.bus.check()
                published = await self.publish_batch()
                if published:
                    self.bus.availability.report_up()
                if failures:
                    log.info("outbox publishing resumed", extra={"failed_attempts": failures})
                failures = 0
                if published >= self.batch_size:
                    continue  # more is waiting: no sleep
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the relay must outlive any outage
                FAILURES.labels(self.service).inc()
                failures += 1
                delay = backoff_delay(failures, max(self.poll_interval, 0.1), self.max_backoff)
                await self._report_failure(exc, failures, delay)
            if failures:
                try:  # a retry waits out its back-off, whatever commits meanwhile
                    await asyncio.wait_for(stop.wait(), delay)
                except asyncio.TimeoutError:
                    pass
            else:
                await wakeup.wait(stop, delay)

    async def _report_failure(self, exc: Exception, failures: int, retry_in: float) -> None:
        self.bus.availability.suspected = True  # the cached ping answer predates this failure
        try:
            reachable = await self.bus.check()
        except Exception:  # noqa: BLE001 - a failing check says as much as a failed one
            reachable = False
        if not reachable:
            return  # the availability logged the outage when it began
        level = logging.WARNING if failures == 1 else logging.DEBUG
        log.log(level, "outbox publish failed; will retry", extra={"error": repr(exc), "retry_in": round(retry_in, 2)})
