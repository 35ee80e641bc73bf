"""The Standard Webhooks retry schedule: when the next attempt is due, and when to give up.

Attempt 1 goes at once; after each failure the next waits the schedule's next step (5 s, 5 min,
30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h), varied by jitter so that a receiver coming back is not
hit by every sender in the same second. A receiver's ``Retry-After`` is honoured when it asks for
longer. After the tenth failed attempt the delivery has failed for good.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone

SCHEDULE_SECONDS = (0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 14 * 3600, 20 * 3600, 24 * 3600)
MAX_ATTEMPTS = len(SCHEDULE_SECONDS)


def next_delay(
    attempts_made: int,
    *,
    factor: float = 1.0,
    jitter: float = 0.0,
    retry_after: float | None = None,
    max_retry_after: float = 86400,
    rng: random.Random | None = None,
) -> float | None:
    """Seconds until the next attempt after ``attempts_made`` failed ones; None when none is left."""
    if attempts_made >= MAX_ATTEMPTS:
        return None
    base = SCHEDULE_SECONDS[attempts_made] * factor
    if jitter and base:
        base *= 1 + (rng or random).uniform(-jitter, jitter)
    if retry_after is not None:
        base = max(base, min(retry_after, max_retry_after))
    return base


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds (delta-seconds or an HTTP date); None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


@dataclass(frozen=True)
class Verdict:
    """What one attempt's answer means: ``succeeded``, ``retry`` (after ``delay`` seconds),
    ``exhausted`` (the schedule's last attempt failed) or ``gone`` (410: stop sending there)."""

    kind: str
    delay: float | None = None


def judge(status_code: int | None, attempts_made: int, retry_after: str | None, *, factor: float = 1.0,
          jitter: float = 0.0, max_retry_after: float = 86400, rng: random.Random | None = None) -> Verdict:
    if status_code is not None and 200 <= status_code < 300:
        return Verdict("succeeded")
    if status_code == 410:
        return Verdict("gone")
    honoured = parse_retry_after(retry_after) if status_code in (429, 503) else None
    delay = next_delay(attempts_made, factor=factor, jitter=jitter, retry_after=honoured,
                       max_retry_after=max_retry_after, rng=rng)
    return Verdict("exhausted") if delay is None else Verdict("retry", delay)
