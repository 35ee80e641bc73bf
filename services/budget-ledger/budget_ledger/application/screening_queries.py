"""Reads of rounds and requests: one round or request, lists (filter, sort, cursor), history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from budget_ledger.adapters.screening_repository import REQUEST_SORTS
from budget_ledger.application.ledger_queries import Page, next_cursor, position
from budget_ledger.application.repositories import repositories
from dgplan_shared.db.uow import UnitOfWork

SORTS = tuple(REQUEST_SORTS)


@dataclass(frozen=True)
class GetRound:
    round_id: str


@dataclass(frozen=True)
class ListRounds:
    filters: dict[str, Any]
    limit: int
    cursor: str | None


@dataclass(frozen=True)
class ListRequests:
    round_id: str
    filters: dict[str, Any] = field(default_factory=dict)
    sort: str = "rank"
    limit: int = 100
    cursor: str | None = None


@dataclass(frozen=True)
class GetRequest:
    request_id: str


@dataclass(frozen=True)
class RequestWithHistory:
    request: dict[str, Any]
    history: list[Any]


async def get_round(query: GetRound, uow: UnitOfWork) -> Any:
    return await repositories(uow).screening.round(query.round_id)


async def list_rounds(query: ListRounds, uow: UnitOfWork) -> Page:
    offset = position(query.cursor) or 0
    rows = await repositories(uow).screening.rounds(query.filters, offset, query.limit)
    return Page(rows[: query.limit], next_cursor(offset + query.limit) if len(rows) > query.limit else None)


async def list_requests(query: ListRequests, uow: UnitOfWork) -> Page:
    repos = repositories(uow)
    await repos.screening.round(query.round_id)  # 404 for a round that does not exist
    offset = position(query.cursor) or 0
    rows = await repos.screening.requests(query.round_id, query.filters, query.sort, offset, query.limit)
    return Page(rows[: query.limit], next_cursor(offset + query.limit) if len(rows) > query.limit else None)


async def get_request(query: GetRequest, uow: UnitOfWork) -> RequestWithHistory:
    repos = repositories(uow)
    request = await repos.screening.request(query.request_id)
    return RequestWithHistory(request, await repos.screening.history(query.request_id))
