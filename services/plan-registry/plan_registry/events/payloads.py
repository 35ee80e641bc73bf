"""Payloads of the registry's events (docs/contracts.md is the minimum; schemas in ``schemas/``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dgplan_contracts.money import money_str

from plan_registry.domain.alignment import goal_of

# framework code -> node code -> {"parent_code", "name"} (FrameworkRepository.trees)
FrameworkTrees = dict[str, dict[str, dict[str, Any]]]


def plan_drafted(plan: dict[str, Any]) -> dict[str, Any]:
    return {
        "plan_id": plan["id"],
        "code": plan["code"],
        "title": plan["title"],
        "start_fy": plan["start_fy"],
        "end_fy": plan["end_fy"],
    }


def version_created(version: dict[str, Any]) -> dict[str, Any]:
    return {
        "plan_id": version["plan_id"],
        "version_id": version["id"],
        "number": version["number"],
        "based_on_version_id": version["based_on_version_id"],
        "status": version["status"],
    }


def version_submitted(version: dict[str, Any]) -> dict[str, Any]:
    return {
        "plan_id": version["plan_id"],
        "version_id": version["id"],
        "number": version["number"],
        "revision_of_version_id": version["based_on_version_id"],
        "submitted_by": version["submitted_by"],
    }


def version_approved(version: dict[str, Any], content: list[dict[str, Any]]) -> dict[str, Any]:
    """``project_ids`` is the approved version's whole project set: a project proposed in a later
    draft is not in it, and one the version dropped leaves it. Consumers that publish plan-wide
    views (monitoring's scorecards) show only these projects to the public."""
    return {
        "plan_id": version["plan_id"],
        "version_id": version["id"],
        "number": version["number"],
        "project_ids": sorted(n["id"] for n in content if n["node_type"] == "project"),
    }


def _declared(node: dict[str, Any]) -> dict[str, int | None]:
    d = node.get("declared") or {}
    return {"measures": d.get("measures"), "work_plans": d.get("work_plans"), "projects": d.get("projects")}


def _alignments(nodes: list[dict[str, Any]], trees: FrameworkTrees) -> list[dict[str, Any]]:
    """Every "contributes to" link of the version, with the goal (the framework's top-level node)
    it counts to, so a consumer adds budget up by goal without holding the frameworks itself."""
    parents = {code: {c: v["parent_code"] for c, v in tree.items()} for code, tree in trees.items()}
    out = []
    for n in nodes:
        for link in n.get("contributes_to") or []:
            tree = trees.get(link["framework"], {})
            goal = goal_of(link["node"], parents.get(link["framework"], {}))
            out.append({
                "node_id": n["id"], "node_type": n["node_type"], "framework": link["framework"],
                "framework_node": link["node"], "goal": goal, "goal_title": (tree.get(goal) or {}).get("name"),
                "strength": link["strength"],
            })
    return out


def structure_published(
    plan: dict[str, Any], version_id: str, nodes: list[dict[str, Any]], trees: FrameworkTrees | None = None,
) -> dict[str, Any]:
    """``trees``: the frameworks the version's nodes link to (none when they link to none)."""
    root = next((n for n in nodes if n["node_type"] == "plan"), {})
    strategies = [n for n in nodes if n["node_type"] == "strategy"]
    total = root.get("budget_framework")
    if total is None and strategies:
        total = money_str(sum((Decimal(s["budget_framework"] or "0") for s in strategies), Decimal("0.00")))
    return {
        "plan_id": plan["id"],
        "plan_code": plan["code"],
        "version_id": version_id,
        "start_fy": plan["start_fy"],
        "end_fy": plan["end_fy"],
        "budget_framework": total,
        "declared": _declared(root),
        "targets": [
            {"target_id": n["id"], "code": n["code"], "title": n["name"]} for n in nodes if n["node_type"] == "target"
        ],
        "strategies": [
            {
                "strategy_id": s["id"],
                "code": s["code"],
                "number": s["attributes"].get("number", s["position"]),
                "title": s["name"],
                "budget_framework": s["budget_framework"],
                "declared": _declared(s),
            }
            for s in strategies
        ],
        "alignments": _alignments(nodes, trees or {}),
    }


def project_snapshot(
    plan_id: str, version_id: str, project: dict[str, Any], by_id: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Full snapshot as it stands in ``version_id`` (the version written to, usually a draft):
    measure and work plan found by walking up the parents."""
    measure_id = work_plan_id = None
    parent = by_id.get(project["parent_id"] or "")
    while parent is not None:
        if parent["node_type"] == "work_plan":
            work_plan_id = parent["id"]
        elif parent["node_type"] == "measure":
            measure_id = parent["id"]
        parent = by_id.get(parent["parent_id"] or "")
    lead = next((r["agency"] for r in project["roles"] if r["role"] == "lead"), None)
    return {
        "project_id": project["id"],
        "code": project["code"],
        "plan_id": plan_id,
        "version_id": version_id,
        "strategy_id": project["strategy_id"],
        "measure_id": measure_id,
        "work_plan_id": work_plan_id,
        "title": project["name"],
        "lead_agency": lead,
        "agencies": project["roles"],
        "start_fy": project["start_fy"],
        "end_fy": project["end_fy"],
        "status": project["status"],
        "target_ids": project["target_ids"],
        "focus_area_ids": project["focus_area_ids"],
        "continues_project_id": project.get("continues_project_id"),
    }


def project_removed(plan_id: str, version_id: str, project: dict[str, Any], removed_by: str) -> dict[str, Any]:
    return {"project_id": project["id"], "code": project["code"], "plan_id": plan_id, "version_id": version_id,
            "removed_by": removed_by}


def role_assigned(plan_id: str, node: dict[str, Any], agency: str, role: str) -> dict[str, Any]:
    return {"node_type": node["node_type"], "node_id": node["id"], "plan_id": plan_id, "agency": agency, "role": role}


def observation_event(obs: dict[str, Any]) -> dict[str, Any]:
    return {
        "observation_id": obs["id"],
        "plan_id": obs["plan_id"],
        "version_id": obs["version_id"],
        "node_id": obs["node_id"],
        "status": obs["status"],
        "raised_by_body": obs["raised_by_body"],
        "text": obs["text"],
    }
