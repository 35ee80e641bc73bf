"""Where the rate-limit buckets live: in this process, or in a table every gateway replica shares.

With the buckets in one process, N replicas allowed N times the limit. A PostgreSQL deployment
(the distributed one, several replicas) keeps them in ``edge_rate_buckets``: one atomic upsert per
request refills and spends in a single statement, by the database's clock, on a connection in
autocommit (no BEGIN/COMMIT: one round trip). A caller that has been refused is refused again
locally until a token can exist, so a flood costs the database nothing. The embedded default
(SQLite, one process) keeps them in memory.

If the database cannot be reached the request is let through (logged): an outage of the limiter
must not take the API down with it.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from gateway.edge.domain.rate_limit import Limit, TokenBuckets

log = logging.getLogger("gateway.edge.rate_limit")


class RateLimiter(Protocol):
    @property
    def enabled(self) -> bool: ...

    async def take(self, key: str) -> float:
        """Spend one token for ``key``: 0.0 if allowed, else the seconds until one is available."""
        ...

    async def close(self) -> None: ...


class ProcessRateLimiter:
    def __init__(self, rate: float, burst: int) -> None:
        self.buckets = TokenBuckets(rate, burst)

    @property
    def enabled(self) -> bool:
        return self.buckets.enabled

    async def take(self, key: str) -> float:
        return self.buckets.take(key)

    async def close(self) -> None:
        return None


# The arithmetic of domain.rate_limit.spend, as one statement (least/greatest: refill, capped).
_REFILLED = (
    "least(CAST(:burst AS double precision),"
    " b.tokens + greatest(0, excluded.refilled_at - b.refilled_at) * CAST(:rate AS double precision))"
)
_SPEND = text(
    f"""
    INSERT INTO edge_rate_buckets AS b (key, tokens, refilled_at, allowed)
    VALUES (CAST(:key AS varchar), CAST(:burst AS double precision) - 1, extract(epoch from clock_timestamp()), true)
    ON CONFLICT (key) DO UPDATE SET
        tokens = CASE WHEN {_REFILLED} >= 1 THEN {_REFILLED} - 1 ELSE {_REFILLED} END,
        allowed = {_REFILLED} >= 1,
        refilled_at = excluded.refilled_at
    RETURNING allowed, tokens
    """
)


class DatabaseRateLimiter:
    _MAX_REFUSED = 50_000

    def __init__(self, engine: AsyncEngine, rate: float, burst: int) -> None:
        self._engine = engine
        self.limit = Limit(rate, burst)
        self._params = {"rate": float(rate), "burst": float(burst)}
        self._refused_until: dict[str, float] = {}  # key -> monotonic time a token can exist again

    @classmethod
    def for_url(cls, url: str, pool_size: int, rate: float, burst: int) -> DatabaseRateLimiter:
        # Its own small pool: autocommit, and no pre-ping (that would be a second round trip).
        engine = create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, isolation_level="AUTOCOMMIT")
        return cls(engine, rate, burst)

    @property
    def enabled(self) -> bool:
        return self.limit.enabled

    async def take(self, key: str) -> float:
        now = time.monotonic()
        until = self._refused_until.get(key)
        if until is not None:
            if until > now:
                return until - now
            del self._refused_until[key]
        try:
            async with self._engine.connect() as connection:
                allowed, tokens = (await connection.execute(_SPEND, {"key": key, **self._params})).one()
        except Exception:  # noqa: BLE001 - fail open: the limiter's outage must not be the API's
            log.warning("rate-limit store unavailable; request let through", exc_info=True)
            return 0.0
        if allowed:
            return 0.0
        wait = (1.0 - tokens) / self.limit.rate
        if len(self._refused_until) > self._MAX_REFUSED:
            self._refused_until.clear()
        self._refused_until[key] = now + wait
        return wait

    async def close(self) -> None:
        await self._engine.dispose()


def build_rate_limiter(
    store: str, database_url: str, pool_size: int, rate: float, burst: int
) -> ProcessRateLimiter | DatabaseRateLimiter:
    """``auto``: shared buckets when the gateway's database is PostgreSQL (where replicas run)."""
    on_postgres = make_url(database_url).get_backend_name() == "postgresql"
    if rate > 0 and (store == "database" or (store == "auto" and on_postgres)):
        if not on_postgres:
            raise ValueError("GATEWAY_RATE_LIMIT_STORE=database needs a PostgreSQL GATEWAY_DATABASE_URL")
        return DatabaseRateLimiter.for_url(database_url, pool_size, rate, burst)
    return ProcessRateLimiter(rate, burst)
