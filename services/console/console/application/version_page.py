"""Query: one version as the secretariat works on it — its status, completeness against the plan's
declared counts (the registry's completeness report), and its strategies with their measures and
projects, each node linked to its form while the version is a draft."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from console.adapters.gateway_client import GatewayClient

EDITABLE = ("strategy", "measure", "work_plan", "project")


@dataclass
class StrategyRows:
    node: dict[str, Any]
    children: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class VersionView:
    plan: dict[str, Any]
    version: dict[str, Any]
    completeness: dict[str, Any]
    strategies: list[StrategyRows]
    open_observations: int

    @property
    def is_draft(self) -> bool:
        return self.version["status"] == "draft"


def group_by_strategy(nodes: list[dict[str, Any]]) -> list[StrategyRows]:
    ordered = sorted(nodes, key=lambda n: (n.get("position") or 0, n.get("code") or ""))
    rows = {n["id"]: StrategyRows(n) for n in ordered if n["node_type"] == "strategy"}
    for node in ordered:
        if node["node_type"] in EDITABLE and node["node_type"] != "strategy" and node.get("strategy_id") in rows:
            rows[node["strategy_id"]].children.append(node)
    return list(rows.values())


async def handle(plan_id: str, version_id: str, gateway: GatewayClient) -> VersionView:
    plan, version, completeness, nodes, observations = await asyncio.gather(
        gateway.get(f"/api/v1/plans/{plan_id}"),
        gateway.get(f"/api/v1/plans/{plan_id}/versions/{version_id}"),
        gateway.get(f"/api/v1/plans/{plan_id}/completeness", {"version_id": version_id}),
        gateway.all_items(f"/api/v1/plans/{plan_id}/versions/{version_id}/nodes"),
        gateway.all_items("/api/v1/observations", {"plan_id": plan_id, "status": "open"}),
    )
    return VersionView(plan, version, completeness, group_by_strategy(nodes), len(observations))
