"""Run a state-changing use case once per Idempotency-Key, retrying lost database races."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Request, Response

from budget_ledger.domain.stages import InvariantViolation
from budget_ledger.ledger.problems import violation_problem
from budget_ledger.idempotency import record, request_hash, stored_response, validate_key
from dgplan_shared.db.retry import with_retries
from dgplan_shared.db.uow import UnitOfWork
from dgplan_contracts.identity import Principal
from dgplan_shared.problems import ProblemError
from dgplan_shared.service import Runtime


class _TryAgain(Exception):
    pass


@dataclass(frozen=True)
class Finishing:
    """An action's answer plus work to run after everything else, just before commit (the ledger
    moves balances there, so row locks on hot appropriations are held only until the commit)."""

    body: Any
    finish: Callable[[], Awaitable[None]]


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json", headers=headers)


async def execute_idempotent(
    request: Request,
    principal: Principal,
    idempotency_key: str | None,
    payload: Any,
    action: Callable[[UnitOfWork], Awaitable[Any]],
    *,
    status: int = 201,
    headers: Callable[[Any], dict[str, str]] | None = None,
) -> Response:
    key = validate_key(idempotency_key)
    runtime: Runtime = request.app.state.runtime
    scope = f"{principal.subject}|{request.method} {request.url.path}"[:300]
    digest = request_hash(payload)

    async def attempt() -> tuple[int, Any, bool]:
        async with runtime.uow() as uow:
            try:
                try:
                    body = await action(uow)
                except InvariantViolation as v:
                    raise violation_problem(v) from None
                finish = None
                if isinstance(body, Finishing):
                    body, finish = body.body, body.finish
                if not await record(uow.session, scope, key, digest, status, body):
                    await uow.rollback()
                    stored = await stored_response(uow.session, scope, key, digest)
                    if stored is None:  # the other transaction rolled back after all: do the work again
                        raise _TryAgain()
                    return stored.status, stored.body, True
                if finish is not None:
                    await finish()  # last statement before commit (see Finishing)
            except ProblemError:
                # A retry of a request that succeeded earlier gets its first answer, even if
                # doing it again now would be refused (say, the balance has since been used).
                await uow.rollback()
                stored = await stored_response(uow.session, scope, key, digest)
                if stored is None:
                    raise
                return stored.status, stored.body, True
            await uow.commit()
            return status, body, False

    for _ in range(5):
        try:
            code, body, replayed = await with_retries(attempt)
            break
        except _TryAgain:
            continue
    else:
        raise ProblemError(409, "idempotency-key-in-flight", "Conflict", "The same request is being processed; retry.")
    out = dict(headers(body)) if headers else {}
    if replayed:
        out["Idempotent-Replayed"] = "true"
    return json_response(body, code, out)
