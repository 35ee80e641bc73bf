"""The nodes of a version: filters, Thai or English search (substring or words), sort, cursor pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid
from dgplan_shared.web.pagination import decode_cursor, page_of

from plan_registry.adapters.node_repository import RELEVANCE, RELEVANCE_KEY_TYPES, SORTS, NodeFilters
from plan_registry.application.repositories import Repositories, repositories
from plan_registry.application.visibility import version_for_read
from plan_registry.domain.access import version_visibility


@dataclass(frozen=True)
class ListVersionNodes:
    principal: Principal | None
    plan_id: str
    version_id: str
    filters: NodeFilters
    sort: str | None = None  # None: relevance when q is given, else code
    limit: int = 100
    cursor: str | None = None


SORT_CHOICES = (*(s for k in SORTS for s in (k, "-" + k)), RELEVANCE)


def resolve_sort(sort: str | None, q: str | None) -> str:
    """What a list is ordered by. Unasked, a search is ordered by relevance (the best match first)
    and a plain list by code. Relevance without ``q`` has nothing to weigh: it is the code order."""
    if sort is None:
        return RELEVANCE if q else "code"
    if sort not in SORT_CHOICES:
        raise invalid("sort", f"one of {', '.join(SORT_CHOICES)}")
    return "code" if sort == RELEVANCE and not q else sort


async def node_page(
    repos: Repositories, version_ids: list[str], filters: NodeFilters, sort: str | None, limit: int, cursor: str | None
) -> dict[str, Any]:
    sort = resolve_sort(sort, filters.q)
    sort_key = sort.lstrip("-")
    key_types = RELEVANCE_KEY_TYPES if sort_key == RELEVANCE else (str,)
    after = decode_cursor(cursor, *key_types, str, str)
    found, keys = await repos.nodes.search(version_ids, filters, sort_key, sort.startswith("-"), limit, after)
    rows = [(node, key) for node, key in zip(found, keys)]
    page, next_cursor = page_of(rows, limit, lambda r: (*r[1], r[0]["version_id"], r[0]["id"]))
    return {"items": [node for node, _ in page], "next_cursor": next_cursor}


async def handle(query: ListVersionNodes, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    principal = query.principal
    version = await version_for_read(repos, principal, query.plan_id, query.version_id)
    only = principal.agency if principal and version_visibility(principal, version.status) == "own" else None
    filters = NodeFilters(**{**query.filters.__dict__, "only_agency": only})
    return await node_page(repos, [version.id], filters, query.sort, query.limit, query.cursor)
