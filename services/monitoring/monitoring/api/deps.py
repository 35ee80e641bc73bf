"""FastAPI dependencies and the glue routes share: the caller, today, the rules, running a query."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request

from dgplan_contracts.assertion import principal_from_request
from dgplan_contracts.fiscal import FY_MAX, FY_MIN
from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid
from dgplan_shared.service import get_runtime
from monitoring.domain.evaluation import Thresholds

Q = TypeVar("Q")
R = TypeVar("R")

Caller = Annotated[Principal, Depends(principal_from_request)]

_FY = f"Buddhist-Era fiscal year ({FY_MIN}–{FY_MAX}), e.g. 2565"
FiscalYearQuery = Annotated[int, Query(ge=FY_MIN, le=FY_MAX, description=_FY)]
OptionalFiscalYear = Annotated[int | None, Query(ge=FY_MIN, le=FY_MAX, description=_FY)]


def today(request: Request) -> date:
    fixed = get_runtime(request).settings.fixed_today
    return fixed or utcnow().date()


def rules(request: Request) -> Thresholds:
    return Thresholds.from_settings(get_runtime(request).settings)


def checked_as_of(day: date | None) -> date | None:
    # Fiscal arithmetic needs the neighbouring years to exist as dates.
    if day is not None and not date(1900, 1, 1) <= day <= date(2199, 12, 31):
        raise invalid("as_of", "must be between 1900-01-01 and 2199-12-31")
    return day


async def run_query(request: Request, handler: Callable[[Q, UnitOfWork], Awaitable[R]], query: Q) -> R:
    """A read use case in a unit of work of its own (rolled back on leaving: it writes nothing)."""
    async with get_runtime(request).uow() as uow:
        return await handler(query, uow)


def body_payload(body: Any) -> Any:
    """What makes two requests with one Idempotency-Key the same request: the parsed body."""
    return body.model_dump(mode="json")
