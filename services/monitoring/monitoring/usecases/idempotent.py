"""Run a creating use case at most once per Idempotency-Key: a retry gets the first answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.exc import IntegrityError

from dgplan_shared.db.uow import UnitOfWork
from monitoring.api.common import remember, replayed

Operation = Callable[[UnitOfWork], Awaitable[tuple[int, dict[str, Any]]]]


async def run_idempotent(
    new_uow: Callable[[], UnitOfWork], scope: str, subject: str, key: str, fingerprint: str, operation: Operation
) -> tuple[int, dict[str, Any]]:
    for attempt in (1, 2):
        async with new_uow() as uow:
            prior = await replayed(uow.session, scope, subject, key, fingerprint)
            if prior is not None:
                return prior
            try:
                status, body = await operation(uow)
                await remember(uow.session, scope, subject, key, fingerprint, status, body)
                await uow.commit()
            except IntegrityError:
                # A concurrent request with the same key, or for the same slot, committed first: run
                # again, to replay its answer or to refuse the duplicate the way a late request is.
                if attempt == 2:
                    raise
                continue
            return status, body
    raise AssertionError("unreachable")
