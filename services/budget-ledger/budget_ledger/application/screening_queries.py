"""Reads of rounds and requests: one round or request, lists (filter, sort, cursor), history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from budget_ledger.adapters.screening_repository import REQUEST_SORTS
from budget_ledger.application import ranking
from budget_ledger.application.ledger_queries import Page, next_cursor, position
from budget_ledger.application.repositories import repositories
from dgplan_shared.db.uow import UnitOfWork

# "ranking": the priority ranking's order (computed, not a column: the round's matching requests are
# read and ordered by their rank; without a ranking it is the "rank" order).
SORTS = (*REQUEST_SORTS, "ranking")


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
    with_ranking: bool = False  # each request's place in the priority ranking (oversight readers)


@dataclass(frozen=True)
class GetRequest:
    request_id: str
    with_ranking: bool = False


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
    round_row = await repos.screening.round(query.round_id)  # 404 for a round that does not exist
    offset = position(query.cursor) or 0
    view = await ranking.ranking_of(repos, round_row) if query.with_ranking or query.sort == "ranking" else None
    if query.sort == "ranking" and view is not None:
        ranks = {i.request_id: i.rank for i in view.ranking.items}
        every = await repos.screening.requests(query.round_id, query.filters, "submitted", 0, _ALL)
        every.sort(key=lambda q: (ranks.get(q["request_id"], len(ranks) + 1), q["request_id"]))
        rows = every[offset : offset + query.limit + 1]
    else:
        sort = "rank" if query.sort == "ranking" else query.sort
        rows = await repos.screening.requests(query.round_id, query.filters, sort, offset, query.limit)
    rows = rows[: query.limit + 1]
    if query.with_ranking:
        _with_ranks(rows, view)
    return Page(rows[: query.limit], next_cursor(offset + query.limit) if len(rows) > query.limit else None)


_ALL = 10**7


def _with_ranks(rows: list[dict[str, Any]], view: ranking.RankingView | None) -> None:
    by_request = view.ranking.by_request() if view is not None else {}
    for row in rows:
        row["ranking"] = ranking.rank_json(by_request.get(row["request_id"]))


async def get_request(query: GetRequest, uow: UnitOfWork) -> RequestWithHistory:
    repos = repositories(uow)
    request = await repos.screening.request(query.request_id)
    if query.with_ranking:
        round_row = await repos.screening.round(request["round_id"])
        _with_ranks([request], await ranking.ranking_of(repos, round_row))
    return RequestWithHistory(request, await repos.screening.history(query.request_id))
