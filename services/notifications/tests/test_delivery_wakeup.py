"""The delivery daemon sleeps while nothing is due and is woken by the commit that makes a delivery
due (issue 18: it polled every 50 ms, 8 % of a core at idle; bench/footprint.py). A retry still
goes out at its time, with nothing to wake the daemon but the schedule itself."""

from __future__ import annotations

import asyncio
import time

from dgplan_contracts.identity import SECRETARIAT
from dgplan_shared.bus.memory import InMemoryBus
from dgplan_shared.db.engine import Database
from dgplan_shared.service import build_runtime
from notification_test_events import feed, live_runtime, live_settings, principal, round_opened, subscribe
from notifications import daemons
from notifications.definition import definition
from webhook_receiver import Receiver

# So long that only a wake-up (or the retry's own time) can explain a prompt delivery.
SAFETY_NET = 30.0


def _counting_claims(monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    claims: list[int] = []
    claim = daemons._claim

    async def counted(runtime, settings, room):  # type: ignore[no-untyped-def]
        claims.append(room)
        return await claim(runtime, settings, room)

    monkeypatch.setattr(daemons, "_claim", counted)
    return claims


async def test_an_idle_daemon_hardly_looks_and_a_commit_elsewhere_wakes_it(fresh_database_url, monkeypatch):
    claims = _counting_claims(monkeypatch)
    url = await fresh_database_url()
    rx = await Receiver().start()
    try:
        async with live_runtime(url, webhook_idle_poll_seconds=SAFETY_NET) as runtime:
            await subscribe(runtime, rx.url, principal(SECRETARIAT))
            await asyncio.sleep(1.0)
            # A second of nothing: the 50 ms poll would have claimed about 20 times.
            assert len(claims) <= 3, claims
            # The event arrives through another engine, as from the consumer's own process (on
            # PostgreSQL the daemon hears of it by NOTIFY; on SQLite within the process).
            other = Database.from_url(url) if runtime.db.is_postgres else runtime.db
            consumer_side = build_runtime(definition(), live_settings(url), other, InMemoryBus())
            started = time.monotonic()
            await feed(consumer_side, round_opened("round-woken"))
            await rx.wait_for(1, timeout=5)
            assert time.monotonic() - started < 3
            if other is not runtime.db:
                await other.dispose()
    finally:
        await rx.stop()


async def test_a_retry_goes_out_at_its_time_without_a_wake(fresh_database_url):
    # The first attempt fails; the schedule's first pause (5 s x 0.1 = 0.5 s) is the only thing
    # that can bring the second, since no commit makes it due.
    rx = await Receiver(answer=lambda n: (503, {}) if n == 1 else (204, {})).start()
    try:
        async with live_runtime(await fresh_database_url(), webhook_idle_poll_seconds=SAFETY_NET,
                                webhook_schedule_factor=0.1) as runtime:
            await subscribe(runtime, rx.url, principal(SECRETARIAT))
            await feed(runtime, round_opened("round-retried"))
            await rx.wait_for(1, timeout=5)
            failed_at = time.monotonic()
            await rx.wait_for(2, timeout=10)
            waited = time.monotonic() - failed_at
    finally:
        await rx.stop()
    assert rx.received[0].headers["webhook-id"] == rx.received[1].headers["webhook-id"]
    assert waited < 5, f"the retry came {waited:.1f} s after the failure"
