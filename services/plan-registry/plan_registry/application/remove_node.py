"""Remove a node from a draft version: not the plan's own node, none with children or links to it.
A removed project is announced (project.removed), so that views of the draft drop it."""

from __future__ import annotations

from dataclasses import dataclass

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import conflict
from dgplan_shared.web.etags import content_etag, require_if_match, require_if_match_sent

from plan_registry.application.repositories import repositories
from plan_registry.domain.access import require_editor
from plan_registry.domain.hierarchy import PROJECT
from plan_registry.domain.node_rules import require_draft
from plan_registry.events.payloads import project_removed
from plan_registry.events.types import PROJECT_REMOVED


@dataclass(frozen=True)
class RemoveNode:
    principal: Principal
    plan_id: str
    version_id: str
    node_id: str
    if_match: str | None


async def handle(command: RemoveNode, uow: UnitOfWork) -> None:
    require_editor(command.principal)
    repos = repositories(uow)
    node_id = command.node_id
    await repos.plans.get(command.plan_id)  # 404 for an unknown plan
    # Exclusive on the version: no registration hangs a child under it, or links to it, meanwhile.
    version = await repos.plans.get_version_for_write(command.plan_id, command.version_id, shared=False)
    current = await repos.nodes.load_node(version.id, node_id)
    require_if_match_sent(command.if_match, "node")
    require_draft(version)
    require_if_match(command.if_match, content_etag(current), "node")
    if current["node_type"] == "plan":
        raise conflict("plan-node", "The plan's own node cannot be removed.")
    children = await repos.nodes.children(version.id, node_id)
    if children:
        raise conflict("node-has-children", f"Remove or move its {len(children)} child node(s) first.", children=children)
    if await repos.nodes.is_linked_to(version.id, node_id):
        raise conflict("node-referenced", "Projects still link to this node; unlink them first.")
    await repos.nodes.delete(version.id, node_id)
    if current["node_type"] == PROJECT:
        await uow.publish(PROJECT_REMOVED, node_id,
                          project_removed(command.plan_id, version.id, current, command.principal.subject))
