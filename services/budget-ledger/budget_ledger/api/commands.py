"""Run a state-changing use case once per Idempotency-Key, retrying lost database races."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from fastapi import Request, Response

from budget_ledger.idempotency import claim, complete, request_hash, validate_key
from budget_ledger.retry import with_retries
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.identity import Principal
from dgplan_shared.service import Runtime


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
            stored = await claim(uow.session, scope, key, digest)
            if stored is not None:
                return stored.status, stored.body, True
            body = await action(uow)
            await complete(uow.session, scope, key, status, body)
            await uow.commit()
            return status, body, False

    code, body, replayed = await with_retries(attempt)
    out = dict(headers(body)) if headers else {}
    if replayed:
        out["Idempotent-Replayed"] = "true"
    return json_response(body, code, out)
