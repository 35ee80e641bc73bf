"""Run a unit of work again when the database says "try again" (deadlock or serialization).

Ordered locks make deadlocks between postings impossible, but other statements (unique-key
races on new appropriations, the idempotency row) can still lose a race; no such failure is
allowed to reach a client.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError

T = TypeVar("T")

RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected


def _sqlstate(exc: DBAPIError) -> str | None:
    orig = exc.orig
    for attr in ("sqlstate", "pgcode"):
        code = getattr(orig, attr, None)
        if code:
            return str(code)
    cause = getattr(orig, "__cause__", None)
    return getattr(cause, "sqlstate", None)


def is_retryable(exc: BaseException) -> bool:
    if not isinstance(exc, DBAPIError):
        return False
    state = _sqlstate(exc)
    if state in RETRYABLE_SQLSTATES:
        return True
    # A unique-key race on a row another transaction created concurrently: the retry sees it.
    return isinstance(exc, IntegrityError) and state == "23505"


async def with_retries(work: Callable[[], Awaitable[T]], attempts: int = 5) -> T:
    for attempt in range(1, attempts + 1):
        try:
            return await work()
        except DBAPIError as exc:
            if attempt == attempts or not is_retryable(exc):
                raise
            await asyncio.sleep(random.uniform(0, 0.005 * attempt))
    raise AssertionError("unreachable")
