"""Create, change and remove nodes of a draft version (strategies, measures, work plans, projects...)."""

from __future__ import annotations

import uuid
from typing import Any

from dgplan_shared.db.uow import UnitOfWork
from dgplan_contracts.identity import Principal
from dgplan_shared.problems import conflict, invalid

from plan_registry import store
from plan_registry.domain.hierarchy import PROJECT, check_role
from plan_registry.usecases.access import require_editor, require_project_writer
from plan_registry.usecases.node_events import publish_node_events
from plan_registry.usecases.node_rules import refresh_strategy_ids, require_draft, strategy_of, validate_node
from plan_registry.usecases.preconditions import check_if_match

_DEFAULTS: dict[str, Any] = {
    "parent_id": None, "budget_framework": None, "start_fy": None, "end_fy": None, "status": None,
    "declared": None, "attributes": {}, "roles": [], "focus_area_ids": [], "target_ids": [], "position": None,
}


def _authorize(principal: Principal, node: dict[str, Any]) -> None:
    if node["node_type"] == PROJECT:
        require_project_writer(principal, node)
    else:
        require_editor(principal)


async def create_node(
    uow: UnitOfWork, principal: Principal, plan_id: str, version_id: str | None, fields: dict[str, Any]
) -> dict[str, Any]:
    """``version_id`` None means the plan's latest version (where agencies register projects)."""
    session = uow.session
    plan = await store.get_plan_for_update(session, plan_id)
    version = await store.get_version(session, plan_id, version_id or plan.latest_version_id)
    node = {**_DEFAULTS, **{k: v for k, v in fields.items() if v is not None}, "id": fields.get("id") or str(uuid.uuid4())}
    if node["node_type"] == PROJECT and node["status"] is None:
        node["status"] = "proposed"
    _authorize(principal, node)
    require_draft(version)
    await validate_node(session, version.id, node)
    if node["position"] is None:
        node["position"] = await store.next_position(session, version.id, node["parent_id"], node["node_type"])
    shape = await store.node_types(session, version.id)
    node["strategy_id"] = node["id"] if node["node_type"] == "strategy" else strategy_of(node["parent_id"], shape)
    await store.insert_node(session, version.id, node)
    created = await store.load_node(session, version.id, node["id"])
    await publish_node_events(uow, plan_id, version.id, None, created)
    return created


async def update_node(
    uow: UnitOfWork, principal: Principal, plan_id: str, version_id: str | None, node_id: str,
    patch: dict[str, Any], if_match: str | None,
) -> dict[str, Any]:
    session = uow.session
    plan = await store.get_plan_for_update(session, plan_id)
    version = await store.get_version(session, plan_id, version_id or plan.latest_version_id)
    current = await store.load_node(session, version.id, node_id)
    _authorize(principal, current)
    require_draft(version)
    check_if_match(if_match, current)
    if current["node_type"] == "plan":
        if patch.get("parent_id") is not None:
            raise invalid("parent_id", "the plan node has no parent")
        if "code" in patch and patch["code"] != current["code"]:
            raise invalid("code", "the plan node carries the plan's code; it cannot be changed here")
    merged = {**current, **patch}
    for key in ("attributes", "roles", "focus_area_ids", "target_ids"):
        if merged.get(key) is None:
            merged[key] = _DEFAULTS[key]
    _authorize(principal, merged)  # an agency may not hand its project's lead to someone else
    await validate_node(session, version.id, merged)
    await store.update_node_row(session, version.id, merged)
    if merged.get("parent_id") != current.get("parent_id"):
        await refresh_strategy_ids(session, version.id)
    updated = await store.load_node(session, version.id, node_id)
    await publish_node_events(uow, plan_id, version.id, current, updated)
    return updated


async def delete_node(
    uow: UnitOfWork, principal: Principal, plan_id: str, version_id: str, node_id: str, if_match: str | None
) -> None:
    require_editor(principal)
    session = uow.session
    await store.get_plan_for_update(session, plan_id)
    version = await store.get_version(session, plan_id, version_id)
    current = await store.load_node(session, version.id, node_id)
    require_draft(version)
    check_if_match(if_match, current)
    if current["node_type"] == "plan":
        raise conflict("plan-node", "The plan's own node cannot be removed.")
    shape = await store.node_types(session, version.id)
    children = sorted(k for k, v in shape.items() if v[1] == node_id)
    if children:
        raise conflict("node-has-children", f"Remove or move its {len(children)} child node(s) first.", children=children)
    everything = await store.load_nodes(session, version.id)
    if any(node_id in n["focus_area_ids"] or node_id in n["target_ids"] for n in everything):
        raise conflict("node-referenced", "Projects still link to this node; unlink them first.")
    await store.delete_node_row(session, version.id, node_id)


async def assign_role(
    uow: UnitOfWork, principal: Principal, plan_id: str, version_id: str, node_id: str, agency: str, role: str
) -> dict[str, Any]:
    """Add one typed role; the node's other roles stay. A POST, so no If-Match: it replaces nothing."""
    check_role(role, "role")
    if not await store.existing_agencies(uow.session, {agency}):
        raise invalid("agency", f"unknown agency {agency!r}")
    await store.get_version(uow.session, plan_id, version_id)
    current = await store.load_node(uow.session, version_id, node_id)
    roles = current["roles"] + [{"agency": agency, "role": role}]
    return await update_node(uow, principal, plan_id, version_id, node_id, {"roles": roles}, "*")
