"""Token-bucket arithmetic: a client may send ``burst`` requests at once, then ``rate`` a second.

Pure: where the buckets are kept (this process, or a table every gateway replica shares) is the
adapters' business (``adapters/rate_limit_store.py``); both spend tokens by :func:`spend`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    rate: float  # tokens per second; 0 turns limiting off
    burst: int

    @property
    def enabled(self) -> bool:
        return self.rate > 0


def spend(tokens: float, elapsed: float, limit: Limit) -> tuple[float, float]:
    """Refill a bucket holding ``tokens`` for ``elapsed`` seconds and spend one token.

    Returns (tokens left, 0.0) when allowed, else (tokens after refill, seconds until one is there).
    """
    tokens = min(float(limit.burst), tokens + max(0.0, elapsed) * limit.rate)
    if tokens >= 1.0:
        return tokens - 1.0, 0.0
    return tokens, (1.0 - tokens) / limit.rate


class TokenBuckets:
    """Buckets in this process's memory (one gateway process, e.g. the embedded default)."""

    _MAX_KEYS = 50_000  # beyond this, forget the buckets that have refilled (bounded memory)

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = Limit(rate, burst)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill)

    @property
    def enabled(self) -> bool:
        return self.limit.enabled

    def take(self, key: str) -> float:
        """Spend one token for ``key``: 0.0 if allowed, else the seconds until one is available."""
        now = self._clock()
        tokens, last = self._buckets.get(key, (float(self.limit.burst), now))
        tokens, wait = spend(tokens, now - last, self.limit)
        self._buckets[key] = (tokens, now)
        if not wait and len(self._buckets) > self._MAX_KEYS:
            self._forget_full(now)
        return wait

    def _forget_full(self, now: float) -> None:
        rate, burst = self.limit.rate, self.limit.burst
        full = [k for k, (t, last) in self._buckets.items() if t + (now - last) * rate >= burst]
        for key in full:
            del self._buckets[key]


def retry_after_header(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
