"""Read side of the ledger: entries (keyset pages) and balances grouped by any levels."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from budget_ledger.adapters.ledger_repository import BALANCE_STAGES, GROUP_COLUMNS
from budget_ledger.application.repositories import repositories
from dgplan_contracts.money import money_str
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid
from dgplan_shared.web.pagination import decode_cursor, encode_cursor

GROUP_LEVELS = tuple(GROUP_COLUMNS)
_MAX_POSITION = 2**62  # keeps a cursor's position inside PostgreSQL's bigint


def position(cursor: str | None) -> int | None:
    """The sequence number or offset a cursor of these lists carries."""
    found = decode_cursor(cursor, int)
    if found is None:
        return None
    if not 0 <= found[0] < _MAX_POSITION:
        raise invalid("cursor", "not a cursor this list returned")
    return found[0]


def next_cursor(value: int) -> str:
    return encode_cursor([value])


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None


@dataclass(frozen=True)
class ListEntries:
    filters: dict[str, Any]
    limit: int
    cursor: str | None
    descending: bool = False


@dataclass(frozen=True)
class GetEntry:
    entry_id: str


@dataclass(frozen=True)
class Balances:
    group_by: list[str]
    filters: dict[str, Any] = field(default_factory=dict)
    limit: int = 100
    cursor: str | None = None


async def list_entries(query: ListEntries, uow: UnitOfWork) -> Page:
    rows = await repositories(uow).ledger.entries(query.filters, query.limit, position(query.cursor), query.descending)
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    return Page(rows, next_cursor(rows[-1]["seq"]) if more and rows else None)


async def get_entry(query: GetEntry, uow: UnitOfWork) -> Any | None:
    return await repositories(uow).ledger.entry(query.entry_id)


async def balances(query: Balances, uow: UnitOfWork) -> dict[str, Any]:
    offset = position(query.cursor) or 0
    rows = await repositories(uow).ledger.balances(query.group_by, query.filters, offset, query.limit)
    items = []
    for row in rows[: query.limit]:
        item: dict[str, Any] = {level: row[GROUP_COLUMNS[level]] for level in query.group_by}
        item["balances"] = {s: money_str(row[s]) for s in BALANCE_STAGES}
        item["available"] = {
            "to_allocate": money_str(row["approved"] - row["allocated"]),
            "to_commit": money_str(row["allocated"] - row["committed"]),
            "to_disburse": money_str(row["committed"] - row["disbursed"]),
        }
        item["appropriations"] = row["appropriations"]
        items.append(item)
    more = len(rows) > query.limit
    return {"group_by": query.group_by, "items": items, "next_cursor": next_cursor(offset + query.limit) if more else None}
