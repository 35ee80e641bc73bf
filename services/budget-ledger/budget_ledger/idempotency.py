"""Idempotency keys: (scope, key) → request hash and the stored response.

The row is inserted, with the response, at the end of the transaction that did the work (one
statement on the hot path). If the key is already there — a retry, or a concurrent duplicate that
committed first (PostgreSQL makes the insert wait for it) — the work is rolled back and the stored
response returned instead. If the work itself is refused, the stored response (if any) is still
what a retry gets. Either way there is exactly one effect.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import and_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.db.tables import idempotency_keys
from dgplan_shared.db.types import utcnow
from dgplan_shared.events import dumps
from dgplan_shared.problems import ProblemError, checked_idempotency_key


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any


def validate_key(key: str | None) -> str:
    return checked_idempotency_key(key)


def request_hash(payload: Any) -> str:
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest()


def _where(scope: str, key: str):  # type: ignore[no-untyped-def]
    return and_(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)


async def stored_response(session: AsyncSession, scope: str, key: str, digest: str) -> StoredResponse | None:
    """The response an earlier request with this key got; 422 if that request had another body."""
    row = (
        await session.execute(
            select(idempotency_keys.c.request_hash, idempotency_keys.c.status_code, idempotency_keys.c.response).where(
                _where(scope, key)
            )
        )
    ).first()
    if row is None:
        return None
    if row.request_hash != digest:
        raise ProblemError(
            422,
            "idempotency-key-reused",
            "Idempotency-Key reused",
            "This Idempotency-Key was already used with a different request body; use a new key for a new request.",
            errors=[{"field": "Idempotency-Key", "message": "already used with a different body"}],
        )
    return StoredResponse(row.status_code, orjson.loads(row.response))


async def record(session: AsyncSession, scope: str, key: str, digest: str, status: int, body: Any) -> bool:
    """Store the response in the transaction that did the work; False if the key is already taken.

    On PostgreSQL a concurrent transaction inserting the same key makes this wait until that one
    ends, so a False here means: roll back, and answer with the stored response.
    """
    dialect_insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    result = await session.execute(
        dialect_insert(idempotency_keys)
        .values(
            scope=scope,
            key=key,
            request_hash=digest,
            status_code=status,
            response=dumps(body).decode(),
            created_at=utcnow(),
        )
        .on_conflict_do_nothing()
    )
    return result.rowcount == 1
