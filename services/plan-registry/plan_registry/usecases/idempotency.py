"""Idempotency-Key on every creating POST: a retry replays the first answer with one effect;
the same key with a different body is refused (422), never silently re-applied."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.problems import ProblemError, checked_idempotency_key
from dgplan_shared.service import Runtime

from plan_registry.db.tables import idempotency_keys
from plan_registry.domain.canonical import canonical_json, content_hash

Action = Callable[[UnitOfWork], Awaitable[tuple[int, Any]]]


def _reused() -> ProblemError:
    return ProblemError(
        422, "idempotency-key-reused", "Idempotency-Key reused with a different request",
        "This Idempotency-Key was already used with a different request body.",
        errors=[{"field": "Idempotency-Key", "message": "already used with a different body"}],
    )


async def _replay(uow: UnitOfWork, scope: str, key: str, request_hash: str) -> tuple[int, Any] | None:
    row = (
        await uow.session.execute(
            select(idempotency_keys).where(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)
        )
    ).first()
    if row is None:
        return None
    if row.request_hash != request_hash:
        raise _reused()
    return row.status_code, json.loads(row.response)


async def run_idempotent(
    runtime: Runtime, scope: str, key: str | None, payload: Any, action: Action
) -> tuple[int, Any]:
    key = checked_idempotency_key(key)
    request_hash = content_hash(payload)
    async with runtime.uow() as uow:
        replay = await _replay(uow, scope, key, request_hash)
        if replay is not None:
            return replay
        try:
            status, body = await action(uow)
        except (ProblemError, IntegrityError) as problem:
            if isinstance(problem, ProblemError) and problem.status != 409:
                raise
            # Perhaps a concurrent request with this key committed while we waited for a lock:
            # then this is a retry and gets the first answer, not the conflict it caused.
            await uow.rollback()
            replay = await _replay(uow, scope, key, request_hash)
            if replay is not None:
                return replay
            raise
        await uow.session.execute(
            insert(idempotency_keys).values(
                scope=scope, key=key, request_hash=request_hash, status_code=status,
                response=canonical_json(body), created_at=utcnow(),
            )
        )
        try:
            await uow.commit()
            return status, body
        except IntegrityError:
            await uow.rollback()
    # A concurrent request with the same key won the race: answer as it did.
    async with runtime.uow() as uow:
        replay = await _replay(uow, scope, key, request_hash)
    if replay is None:
        raise ProblemError(409, "conflict", "Conflict", "The request conflicted with a concurrent one; retry.")
    return replay
