"""The delivery daemon's pace: a backlog to one endpoint is not throttled by the poll interval.

With deliveries capped per endpoint, the daemon used to sleep a whole poll interval whenever the
cap held everything back, so one endpoint got at most ``concurrency`` deliveries per interval
(about 80/s by default; bench/webhook_delivery.py). It now claims again as soon as a send finishes.
"""

from __future__ import annotations

import time

from dgplan_contracts.identity import SECRETARIAT
from notification_test_events import feed, live_runtime, principal, round_opened, subscribe
from webhook_receiver import Receiver


async def test_a_backlog_to_one_endpoint_goes_out_faster_than_one_delivery_per_poll_interval(fresh_database_url):
    rx = await Receiver().start()
    try:
        # One in flight per endpoint and a long poll interval: waiting an interval between
        # deliveries would take 0.6 s x 7 = 4.2 s for eight of them.
        async with live_runtime(await fresh_database_url(), webhook_concurrency_per_endpoint=1,
                                webhook_poll_interval_seconds=0.6) as runtime:
            await subscribe(runtime, rx.url, principal(SECRETARIAT))
            await feed(runtime, *[round_opened(f"round-{n}") for n in range(8)])
            await rx.wait_for(1, timeout=5)
            started = time.monotonic()
            await rx.wait_for(8, timeout=10)
            elapsed = time.monotonic() - started
    finally:
        await rx.stop()
    assert rx.max_in_flight == 1
    assert len({r.headers["webhook-id"] for r in rx.received}) == 8
    assert elapsed < 1.5, f"seven deliveries after the first took {elapsed:.2f} s"
