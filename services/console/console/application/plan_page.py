"""Query: the public page of an approved plan (vision, focus areas, strategies with budgets, the
hierarchy down to projects, and a search over its nodes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dgplan_shared.text import search_key

from console.adapters.gateway_client import ApiProblem, GatewayClient


@dataclass(frozen=True)
class ShowPlan:
    plan_id: str | None = None  # None: the first plan that has an approved version
    search: str = ""


@dataclass
class NodeView:
    node: dict[str, Any]
    children: list["NodeView"] = field(default_factory=list)

    @property
    def budget(self) -> Decimal | None:
        value = self.node.get("budget_framework")
        return Decimal(value) if value is not None else None


@dataclass
class PlanView:
    plan: dict[str, Any]
    version: dict[str, Any]
    root: dict[str, Any]
    by_type: dict[str, list[dict[str, Any]]]
    strategies: list[NodeView]
    total: Decimal
    search: str
    matches: list[dict[str, Any]]


async def handle(query: ShowPlan, gateway: GatewayClient) -> PlanView:
    if query.plan_id is None:
        plans = await gateway.all_items("/api/v1/plans")
        approved = [p for p in plans if p.get("approved_version_id")]
        if not approved:
            raise ApiProblem(404, "No approved plan yet", "The plan registry holds no approved plan to show.")
        plan = approved[0]
    else:
        plan = await gateway.get(f"/api/v1/plans/{query.plan_id}")
        if not plan.get("approved_version_id"):
            raise ApiProblem(404, "Not approved yet", "This plan has no approved version to show.")
    version_id = plan["approved_version_id"]
    version = await gateway.get(f"/api/v1/plans/{plan['id']}/versions/{version_id}")
    nodes = await gateway.all_items(f"/api/v1/plans/{plan['id']}/versions/{version_id}/nodes")
    nodes.sort(key=lambda n: (n.get("position") or 0, n.get("code") or ""))
    by_type: dict[str, list[dict[str, Any]]] = {}
    for node in nodes:
        by_type.setdefault(node["node_type"], []).append(node)
    root = (by_type.get("plan") or [{}])[0]
    views = {n["id"]: NodeView(n) for n in nodes}
    for node in nodes:
        parent = views.get(node.get("parent_id") or "")
        if parent is not None and node["node_type"] != "plan":
            parent.children.append(views[node["id"]])
    strategies = [views[n["id"]] for n in by_type.get("strategy", [])]
    total = sum((s.budget or Decimal(0) for s in strategies), Decimal(0))
    wanted = search_key(query.search) if query.search.strip() else ""
    matches = [n for n in nodes if wanted and wanted in _searchable(n)] if wanted else []
    return PlanView(plan, version, root, by_type, strategies, total, query.search.strip(), matches)


def _searchable(node: dict[str, Any]) -> str:
    name = node.get("name") or {}
    return search_key(" ".join([node.get("code") or "", name.get("th", ""), name.get("en", "")]))
