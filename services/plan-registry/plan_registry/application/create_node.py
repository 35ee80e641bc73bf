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
    repos = repositories(uow)
    fields = command.fields
    plan = await repos.plans.get_for_update(command.plan_id)
    version = await repos.plans.get_version(command.plan_id, command.version_id or plan.latest_version_id)
    node = {**DEFAULTS, **{k: v for k, v in fields.items() if v is not None}, "id": fields.get("id") or str(uuid.uuid4())}
    if node["node_type"] == PROJECT and node["status"] is None:
        node["status"] = "proposed"
    authorize(command.principal, node)
    require_draft(version)
    await validate_node(repos, plan, version.id, node)
    if node["position"] is None:
        node["position"] = await repos.nodes.next_position(version.id, node["parent_id"], node["node_type"])
    shape = await repos.nodes.shape(version.id)
    node["strategy_id"] = node["id"] if node["node_type"] == "strategy" else strategy_of(node["parent_id"], shape)
    await repos.nodes.insert(version.id, node)
    created = await repos.nodes.load_node(version.id, node["id"])
    await publish_node_events(uow, repos, command.plan_id, version.id, None, created)
    return created
