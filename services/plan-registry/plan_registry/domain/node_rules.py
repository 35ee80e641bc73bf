"""Checks every node write passes: right kind of parent, no cycle, unique code, known agencies,
Buddhist-Era periods, links to nodes of the right kind. Each failure names the field."""

from __future__ import annotations

from typing import Any

from dgplan_shared.errors import ProblemError, conflict, invalid

from plan_registry.domain.hierarchy import (
    PROJECT, PROJECT_STATUSES, check_no_cycle, check_parent, check_period, check_role, check_within_plan,
)

Shape = dict[str, tuple[str, str | None, str | None]]  # node id -> (type, parent id, strategy id)


def frozen(version: Any) -> ProblemError:
    return conflict(
        "version-frozen",
        f"Version {version.number} is {version.status} and frozen; revise the plan into a new version to edit it.",
        version_id=version.id,
        version_status=version.status,
    )


def require_draft(version: Any) -> None:
    if version.status != "draft":
        raise frozen(version)


def check_node(
    node: dict[str, Any], shape: Shape, codes: dict[str, str], known_agencies: set[str],
    plan_period: tuple[int, int] | None = None,
) -> None:
    """Every rule a node must pass, against the rest of its version (``shape``, ``codes``) and the
    period of its plan (``plan_period``, start and end fiscal year)."""
    parent_id = node.get("parent_id")
    parent_type = None
    if parent_id is not None:
        if parent_id not in shape:
            raise invalid("parent_id", f"no node {parent_id} in this version")
        parent_type = shape[parent_id][0]
    check_no_cycle(node["id"], parent_id, {k: v[1] for k, v in shape.items()})
    if node["node_type"] != "plan":
        check_parent(node["node_type"], parent_type)

    clash = codes.get(node["code"])
    if clash is not None and clash != node["id"]:
        raise ProblemError(
            409, "duplicate-code", "Duplicate code", f"code: {node['code']!r} is already used in this version by {clash}",
            errors=[{"field": "code", "message": "already used in this version"}],
        )

    check_period(node.get("start_fy"), node.get("end_fy"))
    if plan_period is not None:
        check_within_plan(node.get("start_fy"), node.get("end_fy"), *plan_period)
    if node["node_type"] == PROJECT:
        if node.get("status") is not None and node["status"] not in PROJECT_STATUSES:
            raise invalid("status", f"one of {', '.join(PROJECT_STATUSES)}")
    elif node.get("status") is not None:
        raise invalid("status", "only projects carry a status")
    if node.get("declared") and node["node_type"] not in ("plan", "strategy"):
        raise invalid("declared", "only the plan and its strategies declare counts")

    roles = node.get("roles") or []
    for i, role in enumerate(roles):
        check_role(role["role"], f"roles[{i}].role")
    for i, role in enumerate(roles):
        if role["agency"] not in known_agencies:
            raise invalid(f"roles[{i}].agency", f"unknown agency {role['agency']!r}")

    for field, kind in (("focus_area_ids", "focus_area"), ("target_ids", "target")):
        for i, target in enumerate(node.get(field) or []):
            if shape.get(target, ("",))[0] != kind:
                raise invalid(f"{field}[{i}]", f"{target!r} is not a {kind.replace('_', ' ')} of this plan version")


def strategy_of(node_id: str | None, shape: Shape) -> str | None:
    seen = set()
    while node_id is not None and node_id not in seen:
        seen.add(node_id)
        kind, parent, _ = shape.get(node_id, (None, None, None))
        if kind == "strategy":
            return node_id
        node_id = parent
    return None


def strategy_ids(shape: Shape) -> dict[str, str | None]:
    """Node id -> the strategy each node of the hierarchy should point at, for nodes whose pointer is wrong."""
    out = {}
    for node_id, (kind, _parent, current) in shape.items():
        wanted = strategy_of(node_id, shape) if kind in ("strategy", "measure", "work_plan", "project") else None
        if wanted != current:
            out[node_id] = wanted
    return out
