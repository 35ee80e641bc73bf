"""The one command pipeline: every route that changes state calls :func:`run_command`.

It opens the unit of work, runs the use case (a handler taking a command and the unit of work),
applies the Idempotency-Key, lets the use case's events go to the outbox in the same
transaction, commits, retries what the database says to retry, and leaves refusals to the
problem handlers, which render every ``ProblemError`` as problem+json in one place.

Use cases stay ignorant of HTTP: they return a value (a dataclass, a dict, a pydantic model);
the route's ``present`` turns it into the wire answer, which is what a retry is given again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, field, is_dataclass
from typing import Any, Generic, TypeVar

from fastapi import Request, Response
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError

from dgplan_shared.db.idempotency import IdempotencyStore, request_hash
from dgplan_shared.db.retry import with_retries
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError
from dgplan_shared.events import dumps
from dgplan_shared.problems import checked_idempotency_key

C = TypeVar("C")
R = TypeVar("R")

Handler = Callable[[C, UnitOfWork], Awaitable[R]]


@dataclass(frozen=True)
class Finishing(Generic[R]):
    """A use case's result plus statements to run last, just before commit (the ledger moves
    balances there, so row locks on hot appropriations are held only until the commit)."""

    result: R
    finish: Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    replayed: bool = False
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Idempotency:
    """What makes a request the same request: the caller's key within a scope, and its payload."""

    key: str
    scope: str
    digest: str

    @classmethod
    def of(cls, raw_key: str | None, scope: str, payload: Any) -> Idempotency:
        return cls(checked_idempotency_key(raw_key), scope, request_hash(payload))


def wire(value: Any) -> Any:
    """A use case's result as JSON-ready data (the default ``present``)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return value


class _KeyRaced(Exception):
    """A concurrent request with the same key held it and then rolled back: run again."""


async def execute(
    new_uow: Callable[[], UnitOfWork],
    handler: Handler[C, R],
    command: C,
    *,
    status: int = 200,
    present: Callable[[R], Any] = wire,
    idempotency: Idempotency | None = None,
    store: IdempotencyStore | None = None,
) -> Answer:
    """Run ``handler(command, uow)`` in one transaction; with ``idempotency``, at most once per key."""
    if idempotency is not None and store is None:
        raise RuntimeError("this service declares no idempotency table")

    async def attempt() -> Answer:
        async with new_uow() as uow:
            try:
                result = await handler(command, uow)
                finish = None
                if isinstance(result, Finishing):
                    result, finish = result.result, result.finish
                body = present(result)
                if idempotency is not None:
                    assert store is not None
                    if not await store.record(uow.session, idempotency.scope, idempotency.key, idempotency.digest,
                                              status, body):
                        await uow.rollback()
                        return await _replay_or_race(uow)
                if finish is not None:
                    await finish()
            except (ProblemError, IntegrityError):
                if idempotency is None:
                    raise
                # A retry of a request that succeeded earlier gets its first answer, even if doing
                # it again now would be refused (say, the balance has since been used).
                await uow.rollback()
                assert store is not None
                stored = await store.stored(uow.session, idempotency.scope, idempotency.key, idempotency.digest)
                if stored is None:
                    raise
                return Answer(stored.status, stored.body, replayed=True)
            await uow.commit()
            return Answer(status, body)

    async def _replay_or_race(uow: UnitOfWork) -> Answer:
        assert idempotency is not None and store is not None
        stored = await store.stored(uow.session, idempotency.scope, idempotency.key, idempotency.digest)
        if stored is None:
            raise _KeyRaced()
        return Answer(stored.status, stored.body, replayed=True)

    for _ in range(5):
        try:
            return await with_retries(attempt)
        except _KeyRaced:
            continue
    raise ProblemError(409, "idempotency-key-in-flight", "Conflict", "The same request is being processed; retry.")


def json_response(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(dumps(body), status_code=status, media_type="application/json", headers=dict(headers or {}))


def answer_response(answer: Answer, headers: Mapping[str, str] | None = None) -> Response:
    out = dict(headers or {})
    out.update(answer.headers)
    if answer.replayed:
        out["Idempotent-Replayed"] = "true"
    return json_response(answer.body, answer.status, out)


def caller_scope(request: Request, subject: str) -> str:
    """Idempotency scope of a route: who calls, and which operation on which resource."""
    return f"{subject}|{request.method} {request.url.path}"


async def run_command(
    request: Request,
    handler: Handler[C, R],
    command: C,
    *,
    status: int = 200,
    present: Callable[[R], Any] = wire,
    idempotency_key: str | None = None,
    payload: Any = None,
    subject: str | None = None,
    require_key: bool = False,
    headers: Callable[[Any], Mapping[str, str]] | None = None,
) -> Response:
    """What a route calls. With ``require_key`` (every POST that creates or moves money) a missing
    Idempotency-Key is a 428; a key sent to another POST is honoured the same way."""
    runtime = request.app.state.runtime
    idempotency = None
    if require_key or idempotency_key is not None:
        idempotency = Idempotency.of(idempotency_key, caller_scope(request, subject or "anonymous"), payload)
    answer = await execute(
        runtime.uow, handler, command, status=status, present=present, idempotency=idempotency,
        store=runtime.idempotency_store,
    )
    return answer_response(answer, headers(answer.body) if headers else None)
