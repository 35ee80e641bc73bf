"""The nodes of a version: filters, Thai or English substring search, sort, cursor pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid
from dgplan_shared.web.pagination import decode_cursor, page_of

from plan_registry.adapters.node_repository import SORTS, NodeFilters
from plan_registry.application.repositories import Repositories, repositories
from plan_registry.application.visibility import version_for_read
from plan_registry.domain.access import version_visibility


@dataclass(frozen=True)
class ListVersionNodes:
    principal: Principal | None
    plan_id: str
    version_id: str
    filters: NodeFilters
    sort: str = "code"
    limit: int = 100
    cursor: str | None = None


async def node_page(
    repos: Repositories, version_ids: list[str], filters: NodeFilters, sort: str, limit: int, cursor: str | None
) -> dict[str, Any]:
    sort_key = sort.lstrip("-")
    if sort_key not in SORTS:
        raise invalid("sort", f"one of {', '.join(s for k in SORTS for s in (k, '-' + k))}")
    after = decode_cursor(cursor, str, str, str)
    found, keys = await repos.nodes.search(version_ids, filters, sort_key, sort.startswith("-"), limit, after)
    rows = [(node, key) for node, key in zip(found, keys)]
    page, next_cursor = page_of(rows, limit, lambda r: (r[1], r[0]["version_id"], r[0]["id"]))
    return {"items": [node for node, _ in page], "next_cursor": next_cursor}


async def handle(query: ListVersionNodes, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    principal = query.principal
    version = await version_for_read(repos, principal, query.plan_id, query.version_id)
    only = principal.agency if principal and version_visibility(principal, version.status) == "own" else None
    filters = NodeFilters(**{**query.filters.__dict__, "only_agency": only})
    return await node_page(repos, [version.id], filters, query.sort, query.limit, query.cursor)
