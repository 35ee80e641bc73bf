"""Create a node (strategy, measure, work plan, project...) in a draft version."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork

from plan_registry.application.node_writes import DEFAULTS, authorize, publish_node_events, validate_node
from plan_registry.application.repositories import repositories
from plan_registry.domain.hierarchy import PROJECT
from plan_registry.domain.node_rules import require_draft, strategy_of


@dataclass(frozen=True)
class CreateNode:
    principal: Principal
    plan_id: str
    version_id: str | None  # None: the plan's latest version (where agencies register projects)
    fields: dict[str, Any]


async def handle(command: CreateNode, uow: UnitOfWork) -> dict[str, Any]:
    """Costs the same however many nodes the version holds: the checks read the parent's line, the
    linked nodes and the code's holder, never the whole version. Registrations into one version run
    side by side (a share lock on the version row: whatever changes, moves or removes nodes, or
    submits the version, waits for them); two numbering children of the same parent take turns on
    the parent's row; a node directly under the plan locks the version. Two with the same code: the
    unique index holds the second until the first commits, and the unit of work, run again, refuses
    it as a duplicate (409)."""
    repos = repositories(uow)
    fields = command.fields
    plan = await repos.plans.get(command.plan_id)
    node = {**DEFAULTS, **{k: v for k, v in fields.items() if v is not None}, "id": fields.get("id") or str(uuid.uuid4())}
    parent_id = node["parent_id"]
    version = await repos.plans.get_version_for_write(
        command.plan_id, command.version_id or plan.latest_version_id, shared=parent_id is not None)
    if node["node_type"] == PROJECT and node["status"] is None:
        node["status"] = "proposed"
    authorize(command.principal, node)
    require_draft(version)
    if node["position"] is None and parent_id is not None:
        await repos.nodes.lock_children_of(version.id, parent_id)
    shape = await validate_node(repos, plan, version.id, node)
    if node["position"] is None:
        node["position"] = await repos.nodes.next_position(version.id, parent_id, node["node_type"])
    node["strategy_id"] = node["id"] if node["node_type"] == "strategy" else strategy_of(parent_id, shape)
    await repos.nodes.insert(version.id, node)
    # The parent's line was read by the checks, under the version's lock: it stands.
    created = await repos.nodes.load_node(version.id, node["id"], {k: v[0] for k, v in shape.items()})
    await publish_node_events(uow, repos, command.plan_id, version.id, None, created, shape)
    return created
