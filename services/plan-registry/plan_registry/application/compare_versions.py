"""The node-by-node difference between two versions, of what the caller may see in each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork

from plan_registry.application.repositories import Repositories, repositories
from plan_registry.application.visibility import version_for_read
from plan_registry.domain.access import visible_nodes
from plan_registry.domain.diff import diff_versions


@dataclass(frozen=True)
class CompareVersions:
    principal: Principal | None
    plan_id: str
    from_version_id: str
    to_version_id: str


async def compare(repos: Repositories, principal: Principal | None, a: Any, b: Any) -> dict[str, Any]:
    """The diff of two versions already read (and checked) for this caller."""
    before = visible_nodes(principal, a.status, await repos.nodes.load_nodes(a.id))
    after = visible_nodes(principal, b.status, await repos.nodes.load_nodes(b.id))
    return diff_versions(
        {"version_id": a.id, "number": a.number, "status": a.status},
        {"version_id": b.id, "number": b.number, "status": b.status},
        before, after,
    )


async def handle(query: CompareVersions, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    principal = query.principal
    a = await version_for_read(repos, principal, query.plan_id, query.from_version_id)
    b = await version_for_read(repos, principal, query.plan_id, query.to_version_id)
    return await compare(repos, principal, a, b)
