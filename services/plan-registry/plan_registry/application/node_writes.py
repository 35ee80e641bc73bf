"""What every node write shares: who may write it, the checks against its version, and the
events that follow (project registered / changed, agency role assigned)."""

from __future__ import annotations

from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork

from plan_registry.application.repositories import Repositories
from plan_registry.domain.access import require_editor, require_project_writer
from plan_registry.domain.hierarchy import PROJECT
from plan_registry.domain.node_rules import check_node
from plan_registry.events.types import PROJECT_CHANGED, PROJECT_REGISTERED, ROLE_ASSIGNED
from plan_registry.events.payloads import project_snapshot, role_assigned

DEFAULTS: dict[str, Any] = {
    "parent_id": None, "budget_framework": None, "start_fy": None, "end_fy": None, "status": None,
    "declared": None, "attributes": {}, "roles": [], "focus_area_ids": [], "target_ids": [], "position": None,
}


def authorize(principal: Principal, node: dict[str, Any]) -> None:
    if node["node_type"] == PROJECT:
        require_project_writer(principal, node)
    else:
        require_editor(principal)


async def validate_node(repos: Repositories, plan: Any, version_id: str, node: dict[str, Any]) -> None:
    """``plan``: the plan's row (its period bounds the node's years)."""
    shape = await repos.nodes.shape(version_id)
    codes = await repos.nodes.codes(version_id)
    known = await repos.agencies.existing({r["agency"] for r in node.get("roles") or []})
    check_node(node, shape, codes, known, (plan.start_fy, plan.end_fy))


async def project_event_data(repos: Repositories, plan_id: str, version_id: str, project: dict[str, Any]) -> dict[str, Any]:
    shape = await repos.nodes.shape(version_id)
    by_id = {k: {"id": k, "node_type": v[0], "parent_id": v[1]} for k, v in shape.items()}
    return project_snapshot(plan_id, version_id, project, by_id)


async def publish_node_events(
    uow: UnitOfWork, repos: Repositories, plan_id: str, version_id: str, before: dict[str, Any] | None,
    after: dict[str, Any],
) -> None:
    if after["node_type"] == PROJECT and before != after:
        data = await project_event_data(repos, plan_id, version_id, after)
        await uow.publish(PROJECT_CHANGED if before is not None else PROJECT_REGISTERED, after["id"], data)
    old = {(r["agency"], r["role"]) for r in (before or {}).get("roles", [])}
    for r in after["roles"]:
        if (r["agency"], r["role"]) not in old:
            await uow.publish(ROLE_ASSIGNED, after["id"], role_assigned(plan_id, after, r["agency"], r["role"]))
