"""What every node write shares: who may write it, the checks against its version, and the
events that follow (project registered / changed, agency role assigned)."""

from __future__ import annotations

from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork

from plan_registry.application.framework_links import check_framework_links
from plan_registry.application.project_continuity import check_continues
from plan_registry.application.repositories import Repositories
from plan_registry.domain.access import require_editor, require_project_writer
from plan_registry.domain.hierarchy import PROJECT
from plan_registry.domain.node_rules import Shape, check_node
from plan_registry.events.types import PROJECT_CHANGED, PROJECT_REGISTERED, ROLE_ASSIGNED
from plan_registry.events.payloads import project_snapshot, role_assigned

DEFAULTS: dict[str, Any] = {
    "parent_id": None, "budget_framework": None, "start_fy": None, "end_fy": None, "status": None,
    "declared": None, "attributes": {}, "roles": [], "focus_area_ids": [], "target_ids": [], "position": None,
    "contributes_to": [], "continues_project_id": None,
}


def authorize(principal: Principal, node: dict[str, Any]) -> None:
    if node["node_type"] == PROJECT:
        require_project_writer(principal, node)
    else:
        require_editor(principal)


async def validate_node(repos: Repositories, plan: Any, version_id: str, node: dict[str, Any]) -> Shape:
    """``plan``: the plan's row (its period bounds the node's years). Checked against just the part
    of the version the rules look at: the new parent and the nodes above it (its type, no cycle),
    the nodes linked to, and whoever holds the code. Returns that part (``shape`` of those nodes),
    from which the node's strategy is found."""
    shape = await repos.nodes.ancestry(version_id, node.get("parent_id"))
    linked = {t for field in ("focus_area_ids", "target_ids") for t in node.get(field) or []}
    shape.update(await repos.nodes.shape_of(version_id, linked - set(shape)))
    codes = await repos.nodes.code_holder(version_id, node["code"])
    known = await repos.agencies.existing({r["agency"] for r in node.get("roles") or []})
    check_node(node, shape, codes, known, (plan.start_fy, plan.end_fy))
    await check_framework_links(repos, node.get("contributes_to") or [])
    await check_continues(repos, plan.predecessor_plan_id, node)
    return shape


async def project_event_data(
    repos: Repositories, plan_id: str, version_id: str, project: dict[str, Any],
    by_id: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """``by_id``: the version's nodes by id when the caller has them all (an import announcing every
    project); otherwise just the nodes above the project are read."""
    if by_id is None:
        by_id = nodes_by_id(await repos.nodes.ancestry(version_id, project["parent_id"]))
    return project_snapshot(plan_id, version_id, project, by_id)


def nodes_by_id(shape: Shape) -> dict[str, dict[str, Any]]:
    """What ``project_snapshot`` walks, from (part of) a version's ``shape``."""
    return {k: {"id": k, "node_type": v[0], "parent_id": v[1]} for k, v in shape.items()}


async def publish_node_events(
    uow: UnitOfWork, repos: Repositories, plan_id: str, version_id: str, before: dict[str, Any] | None,
    after: dict[str, Any], above: Shape | None = None,
) -> None:
    """``above``: the ``shape`` of the nodes above ``after`` (its parent's line) if the caller has it."""
    if after["node_type"] == PROJECT and before != after:
        data = await project_event_data(repos, plan_id, version_id, after, None if above is None else nodes_by_id(above))
        await uow.publish(PROJECT_CHANGED if before is not None else PROJECT_REGISTERED, after["id"], data)
    old = {(r["agency"], r["role"]) for r in (before or {}).get("roles", [])}
    for r in after["roles"]:
        if (r["agency"], r["role"]) not in old:
            await uow.publish(ROLE_ASSIGNED, after["id"], role_assigned(plan_id, after, r["agency"], r["role"]))
