"""Projects across plans, in each plan's approved version (the default for the public and agencies)
or its latest one (an agency then sees only its own projects)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import AGENCY, Principal
from dgplan_shared.db.uow import UnitOfWork

from plan_registry.adapters.node_repository import NodeFilters
from plan_registry.application.list_nodes import node_page
from plan_registry.application.repositories import repositories
from plan_registry.domain.access import is_privileged_reader


@dataclass(frozen=True)
class ListProjects:
    principal: Principal | None
    filters: NodeFilters
    version: str | None = None  # approved | latest
    sort: str | None = None  # None: relevance when q is given, else code
    limit: int = 50
    cursor: str | None = None


async def handle(query: ListProjects, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    principal = query.principal
    privileged = is_privileged_reader(principal)
    may_see_latest = privileged or (principal is not None and principal.has(AGENCY))
    which = query.version or ("latest" if privileged else "approved")
    version_ids = await repos.plans.current_version_ids("latest" if which == "latest" and may_see_latest else "approved")
    only = None
    if principal and principal.agency and not privileged and query.version == "latest":
        only = principal.agency
    filters = NodeFilters(**{**query.filters.__dict__, "node_type": "project", "only_agency": only})
    return await node_page(repos, version_ids, filters, query.sort, query.limit, query.cursor)
