"""Idempotency keys, one table shape and one race rule for every service.

``(scope, key)`` → the hash of the request and the answer it got. ``scope`` is the caller and the
operation, so two callers (or two operations) never collide on a key.

The race rule: the row is inserted, with the answer, as the last statement of the transaction
that did the work (one statement on the hot path, no look-up first). If the key is already there
— a retry, or a concurrent duplicate that committed first (PostgreSQL makes the insert wait for
it) — the work is rolled back and the stored answer returned instead. If the work itself is
refused, a stored answer (if any) is still what a retry gets. Either way: exactly one effect.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.db.types import UtcDateTime, utcnow
from dgplan_shared.errors import ProblemError
from dgplan_shared.events import dumps

TABLE = "idempotency_keys"
SCOPE_LENGTH = 300
KEY_LENGTH = 200


def idempotency_table(metadata: MetaData) -> Table:
    return Table(
        TABLE,
        metadata,
        Column("scope", String(SCOPE_LENGTH), primary_key=True),
        Column("key", String(KEY_LENGTH), primary_key=True),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", Integer, nullable=False),
        Column("response", Text, nullable=False),
        Column("created_at", UtcDateTime(), nullable=False, index=True),
    )


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    body: Any


def request_hash(payload: Any) -> str:
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest()


def reused_key() -> ProblemError:
    return ProblemError(
        422, "idempotency-key-reused", "Idempotency-Key reused",
        "This Idempotency-Key was already used with a different request; use a new key for a new request.",
        errors=[{"field": "Idempotency-Key", "message": "already used with a different request"}],
    )


class IdempotencyStore:
    def __init__(self, table: Table) -> None:
        self.table = table
        c = table.c
        # Built once: the statement's cache key is then computed once, not per request.
        self._lookup = select(c.request_hash, c.status_code, c.response)

    async def stored(self, session: AsyncSession, scope: str, key: str, digest: str) -> StoredAnswer | None:
        """The answer an earlier request with this key got; 422 if that request was another one."""
        c = self.table.c
        row = (await session.execute(self._lookup.where(c.scope == scope[:SCOPE_LENGTH], c.key == key))).first()
        if row is None:
            return None
        if row.request_hash != digest:
            raise reused_key()
        return StoredAnswer(row.status_code, orjson.loads(row.response))

    async def record(self, session: AsyncSession, scope: str, key: str, digest: str, status: int, body: Any) -> bool:
        """Store the answer in the transaction that did the work; False if the key is already taken."""
        dialect_insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        result = await session.execute(
            dialect_insert(self.table)
            .values(scope=scope[:SCOPE_LENGTH], key=key, request_hash=digest, status_code=status,
                    response=dumps(body).decode(), created_at=utcnow())
            .on_conflict_do_nothing()
        )
        return result.rowcount == 1
