"""Idempotency-Key handling: a retry gets the stored response; the same key with another request is refused."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.db.types import utcnow
from dgplan_shared.problems import ProblemError, checked_idempotency_key
from gateway.audit.chain import canonical, sha256
from gateway.governance.adapters.tables import gov_idempotency



def require_key(key: str | None) -> str:
    return checked_idempotency_key(key)


def fingerprint(scope: str, request: Any) -> str:
    return sha256(canonical({"scope": scope, "request": request}))


async def replay(session: AsyncSession, subject: str, key: str, print_: str) -> tuple[int, dict] | None:
    row = (
        await session.execute(
            select(gov_idempotency).where(gov_idempotency.c.subject == subject, gov_idempotency.c.key == key)
        )
    ).mappings().first()
    if row is None:
        return None
    if row["fingerprint"] != print_:
        raise ProblemError(
            422,
            "idempotency-key-reused",
            "Idempotency-Key reused",
            "This Idempotency-Key was already used for a different request.",
        )
    return row["status_code"], row["response"]


async def remember(session: AsyncSession, subject: str, key: str, print_: str, status: int, response: dict) -> None:
    await session.execute(
        insert(gov_idempotency).values(
            subject=subject, key=key, fingerprint=print_, status_code=status, response=response, created_at=utcnow()
        )
    )
