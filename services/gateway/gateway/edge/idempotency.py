"""Idempotency records of the edge's own POSTs (client creation, secret rotation)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.db.types import utcnow
from dgplan_shared.problems import ProblemError, checked_idempotency_key
from gateway.edge.adapters.tables import idempotency_records


@dataclass(frozen=True)
class Record:
    operation: str
    fingerprint: str
    resource_id: str
    secret_salt: str | None


def fingerprint(operation: str, payload: Any) -> str:
    return hashlib.sha256(operation.encode() + b"\0" + orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


def require_key(key: str | None) -> str:
    return checked_idempotency_key(key)


async def find(session: AsyncSession, principal: str, key: str, operation: str, print_: str) -> Record | None:
    """The earlier outcome for this key, or None. The same key for another request is a 422."""
    row = (
        await session.execute(
            select(idempotency_records).where(
                idempotency_records.c.principal == principal, idempotency_records.c.key == key
            )
        )
    ).first()
    if row is None:
        return None
    if row.operation != operation or row.fingerprint != print_:
        raise ProblemError(
            422,
            "idempotency-key-reused",
            "Idempotency-Key reused",
            "This Idempotency-Key was already used for a different request.",
        )
    return Record(row.operation, row.fingerprint, row.resource_id, row.secret_salt)


async def remember(session: AsyncSession, principal: str, key: str, record: Record) -> None:
    await session.execute(
        insert(idempotency_records).values(
            principal=principal,
            key=key,
            operation=record.operation,
            fingerprint=record.fingerprint,
            resource_id=record.resource_id,
            secret_salt=record.secret_salt,
            created_at=utcnow(),
        )
    )
