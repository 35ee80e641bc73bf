"""One node of a version, if the caller may see it (an agency: only nodes it holds a role on)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found

from plan_registry.application.repositories import repositories
from plan_registry.application.visibility import version_for_read
from plan_registry.domain.access import visible_nodes


@dataclass(frozen=True)
class ReadNode:
    principal: Principal | None
    plan_id: str
    version_id: str
    node_id: str


async def handle(query: ReadNode, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    version = await version_for_read(repos, query.principal, query.plan_id, query.version_id)
    node = await repos.nodes.load_node(version.id, query.node_id)
    if not visible_nodes(query.principal, version.status, [node]):
        raise not_found("node", query.node_id)
    return node
