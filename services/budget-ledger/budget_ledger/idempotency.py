"""Idempotency keys: (scope, key) → request hash and the stored response.

The row is inserted at the start of the transaction that does the work and completed with the
response before commit. A concurrent duplicate blocks on the unique key until the first
transaction ends: if it committed, the duplicate returns the stored response; if it rolled back,
the duplicate does the work itself. Either way there is exactly one effect.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import and_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.db.tables import idempotency_keys
from dgplan_shared.db.types import utcnow
from dgplan_shared.events import dumps
from dgplan_shared.problems import ProblemError, invalid

MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any


def validate_key(key: str | None) -> str:
    if key is None or not key.strip():
        raise invalid("Idempotency-Key", "this request needs an Idempotency-Key header (any unique string per intent)")
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise invalid("Idempotency-Key", f"at most {MAX_KEY_LENGTH} printable characters")
    return key


def request_hash(payload: Any) -> str:
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest()


def _where(scope: str, key: str):  # type: ignore[no-untyped-def]
    return and_(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)


async def claim(session: AsyncSession, scope: str, key: str, digest: str) -> StoredResponse | None:
    """None when this transaction owns the key; otherwise the earlier response to replay."""
    dialect_insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    result = await session.execute(
        dialect_insert(idempotency_keys)
        .values(scope=scope, key=key, request_hash=digest, created_at=utcnow())
        .on_conflict_do_nothing()
    )
    if result.rowcount == 1:
        return None
    row = (
        await session.execute(
            select(idempotency_keys.c.request_hash, idempotency_keys.c.status_code, idempotency_keys.c.response).where(
                _where(scope, key)
            )
        )
    ).one()
    if row.request_hash != digest:
        raise ProblemError(
            422,
            "idempotency-key-reused",
            "Idempotency-Key reused",
            "This Idempotency-Key was already used with a different request body; use a new key for a new request.",
            errors=[{"field": "Idempotency-Key", "message": "already used with a different body"}],
        )
    if row.status_code is None:  # cannot happen once the first transaction committed; be explicit
        raise ProblemError(409, "idempotency-key-in-flight", "Conflict", "The same request is still being processed.")
    return StoredResponse(row.status_code, orjson.loads(row.response))


async def complete(session: AsyncSession, scope: str, key: str, status: int, body: Any) -> None:
    await session.execute(
        update(idempotency_keys).where(_where(scope, key)).values(status_code=status, response=dumps(body).decode())
    )
