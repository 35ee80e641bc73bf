"""Reads behind the spreadsheet downloads: a whole table at once (no cursor), with the names of
the strategies and projects the ledger learnt from the registry, under the same visibility rules
as the JSON of the same data (an agency gets its own agency's requests and money only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from budget_ledger.application import ledger_queries, screening_status
from budget_ledger.application.access import agency_scope, require_oversight, require_reader
from budget_ledger.adapters.name_repository import NameRepository
from budget_ledger.application.repositories import repositories
from dgplan_contracts.identity import Principal, forbidden
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError

# One download is one answer held in memory: past this, filter (by strategy, agency) instead.
MAX_EXPORT_ROWS = 20_000
_PAGE = 1000


def too_many(what: str) -> ProblemError:
    return ProblemError(
        422, "export-too-large", "Export too large",
        f"More than {MAX_EXPORT_ROWS} {what} in one file; narrow it with the filters (strategy_id, agency).",
        limit=MAX_EXPORT_ROWS,
    )


@dataclass(frozen=True)
class Names:
    """Strategy and project names by id (the registry's, as the ledger's read model has them)."""

    strategies: dict[str, Any] = field(default_factory=dict)
    projects: dict[str, Any] = field(default_factory=dict)


async def _names(uow: UnitOfWork, strategy_ids: set[str], project_ids: set[str]) -> Names:
    repo = NameRepository(uow.session)
    return Names(await repo.strategies(strategy_ids), await repo.projects(project_ids))


# --- a round's requests (the import template) ------------------------------------------------


@dataclass(frozen=True)
class RoundRequests:
    round_id: str
    principal: Principal
    filters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RoundRequestsExport:
    round: Any
    requests: list[dict[str, Any]]
    names: Names


async def round_requests(query: RoundRequests, uow: UnitOfWork) -> RoundRequestsExport:
    require_reader(query.principal)
    repos = repositories(uow)
    round_row = await repos.screening.round(query.round_id)
    filters = dict(query.filters)
    scope = agency_scope(query.principal)
    if scope is not None:
        filters["agency"] = scope  # as the JSON list: an agency's own requests, whatever it asks
    rows = await repos.screening.requests(query.round_id, filters, "project", 0, MAX_EXPORT_ROWS)
    if len(rows) > MAX_EXPORT_ROWS:
        raise too_many("requests")
    names = await _names(uow, {r["strategy_id"] for r in rows}, {r["project_id"] for r in rows})
    return RoundRequestsExport(round_row, rows, names)


@dataclass(frozen=True)
class TemplateFor:
    round_id: str
    principal: Principal


async def template_round(query: TemplateFor, uow: UnitOfWork) -> Any:
    """The round an empty template is for (404 if there is none); any reader may fetch one."""
    require_reader(query.principal)
    return await repositories(uow).screening.round(query.round_id)


# --- screening status -----------------------------------------------------------------------


@dataclass(frozen=True)
class StatusExport:
    round_id: str
    principal: Principal


@dataclass(frozen=True)
class StatusTables:
    summary: dict[str, Any]
    by_strategy: list[dict[str, Any]]
    by_agency: list[dict[str, Any]]
    names: Names


async def _all_groups(uow: UnitOfWork, round_id: str, dimension: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await screening_status.grouped_status(screening_status.GroupedStatus(round_id, dimension, _PAGE, cursor), uow)
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items
        if len(items) > MAX_EXPORT_ROWS:
            raise too_many(dimension)


async def status_tables(query: StatusExport, uow: UnitOfWork) -> StatusTables:
    require_oversight(query.principal)  # as GET …/status: subcommittees and oversight, not agencies
    summary = await screening_status.round_status(screening_status.RoundStatusQuery(query.round_id), uow)
    by_strategy = await _all_groups(uow, query.round_id, "strategies")
    by_agency = await _all_groups(uow, query.round_id, "agencies")
    return StatusTables(summary, by_strategy, by_agency, await _names(uow, {s["strategy_id"] for s in by_strategy}, set()))


# --- ledger balances ------------------------------------------------------------------------


@dataclass(frozen=True)
class BalancesExport:
    group_by: list[str]
    filters: dict[str, Any]
    principal: Principal


@dataclass(frozen=True)
class BalanceTable:
    group_by: list[str]
    items: list[dict[str, Any]]
    names: Names


async def balance_table(query: BalancesExport, uow: UnitOfWork) -> BalanceTable:
    require_reader(query.principal)
    filters = dict(query.filters)
    scope = agency_scope(query.principal)
    if scope is not None:
        if filters.get("agency") not in (None, scope):
            raise forbidden("An agency sees only its own agency's money.")
        filters["agency"] = scope
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await ledger_queries.balances(ledger_queries.Balances(query.group_by, filters, _PAGE, cursor), uow)
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
        if len(items) > MAX_EXPORT_ROWS:
            raise too_many("balance rows")
    names = await _names(uow, {i["strategy"] for i in items if i.get("strategy")},
                         {i["project"] for i in items if i.get("project")})
    return BalanceTable(query.group_by, items, names)

