"""A per-upstream circuit breaker: after repeated connection failures the gateway answers 503 at
once for a while instead of making every caller wait for a dead service."""

from __future__ import annotations

import time


class Circuit:
    def __init__(self, threshold: int, open_seconds: float, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self.threshold = threshold
        self.open_seconds = open_seconds
        self._clock = clock
        self._failures = 0
        self._open_until = 0.0

    def allows(self) -> bool:
        """False while open; after the pause one trial request goes through (half-open)."""
        if self._failures < self.threshold:
            return True
        now = self._clock()
        if now >= self._open_until:
            self._open_until = now + self.open_seconds  # only this trial until it reports back
            return True
        return False

    def succeeded(self) -> None:
        self._failures = 0

    def failed(self) -> None:
        self._failures += 1
        if self._failures >= self.threshold:
            self._open_until = self._clock() + self.open_seconds

    @property
    def is_open(self) -> bool:
        return self._failures >= self.threshold and self._clock() < self._open_until
