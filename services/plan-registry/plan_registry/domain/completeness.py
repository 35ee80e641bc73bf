"""Declared against registered: how much of what the plan document promises is in the registry."""

from __future__ import annotations

from typing import Any

KINDS = (("measures", "measure"), ("work_plans", "work_plan"), ("projects", "project"))


def _row(declared: dict[str, int | None], registered: dict[str, int]) -> dict[str, Any]:
    out = {}
    for plural, _ in KINDS:
        d = declared.get(plural)
        r = registered.get(plural, 0)
        out[plural] = {"declared": d, "registered": r, "missing": None if d is None else max(d - r, 0)}
    return out


def completeness(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """``nodes`` are one version's nodes in API shape (with ``declared`` and ``strategy_id``)."""
    plan = next((n for n in nodes if n["node_type"] == "plan"), None)
    strategies = sorted((n for n in nodes if n["node_type"] == "strategy"), key=lambda n: (n["position"], n["code"]))
    counts: dict[str, dict[str, int]] = {s["id"]: {p: 0 for p, _ in KINDS} for s in strategies}
    totals = {p: 0 for p, _ in KINDS}
    for n in nodes:
        for plural, kind in KINDS:
            if n["node_type"] == kind:
                totals[plural] += 1
                if n.get("strategy_id") in counts:
                    counts[n["strategy_id"]][plural] += 1
    plan_declared = (plan or {}).get("declared") or {}
    declared_strategies = ((plan or {}).get("attributes") or {}).get("declared_strategies")
    per_strategy = []
    for s in strategies:
        row = _row(s.get("declared") or {}, counts[s["id"]])
        per_strategy.append(
            {
                "strategy_id": s["id"],
                "code": s["code"],
                "name": s["name"],
                **row,
                "complete": all(v["missing"] == 0 for v in row.values()),
            }
        )
    plan_row = _row(plan_declared, totals)
    return {
        "strategies": {
            "declared": declared_strategies,
            "registered": len(strategies),
            "missing": None if declared_strategies is None else max(declared_strategies - len(strategies), 0),
        },
        **plan_row,
        "complete": all(v["missing"] == 0 for v in plan_row.values())
        and (declared_strategies is None or declared_strategies == len(strategies)),
        "per_strategy": per_strategy,
    }
