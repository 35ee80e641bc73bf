"""Which goal of a national framework a plan's money and projects count to.

A plan node links to framework nodes ("contributes to"), each link primary or secondary; the
registry resolves every link to its goal (the framework's top-level node). A figure counts to one
goal only, so that the goals add up to the plan: the goal of the nearest primary link on the way
up from where the figure sits (project → work plan → measure → strategy → the plan itself); with
none on the way, it is unaligned. Secondary links are listed beside a goal and carry no money.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from monitoring.domain.budget import ZERO, budget_block

PRIMARY = "primary"


@dataclass(frozen=True)
class GoalLinks:
    """One framework's links of one plan's published structure."""

    primary: dict[str, str]  # node id -> the goal its primary link counts to
    root_goal: str | None  # the plan node's own primary goal: where everything unlinked falls
    titles: dict[str, dict[str, str | None]]  # goal -> {th, en}
    secondary: dict[str, list[dict[str, Any]]]  # goal -> the nodes linking to it secondarily

    @classmethod
    def of(cls, rows: Iterable[dict[str, Any]]) -> GoalLinks:
        primary: dict[str, str] = {}
        root_goal = None
        titles: dict[str, dict[str, str | None]] = {}
        secondary: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            goal = row["goal"]
            if goal is None:
                continue  # a node the framework no longer has: the registry refuses that; skip defensively
            titles.setdefault(goal, {"th": row["goal_title_th"], "en": row["goal_title_en"]})
            if row["strength"] == PRIMARY:
                primary[row["node_id"]] = goal
                if row["node_type"] == "plan":
                    root_goal = goal
            else:
                secondary.setdefault(goal, []).append(
                    {"node_id": row["node_id"], "node_type": row["node_type"], "framework_node": row["framework_node"]})
        return cls(primary, root_goal, titles, secondary)

    def goal_of(self, path_up: Iterable[str | None]) -> str | None:
        """The goal of the first node on ``path_up`` (nearest first) with a primary link, else the
        plan's own goal; None: unaligned."""
        for node_id in path_up:
            if node_id is not None and node_id in self.primary:
                return self.primary[node_id]
        return self.root_goal


def project_path_up(project: dict[str, Any]) -> list[str | None]:
    return [project["project_id"], project.get("work_plan_id"), project.get("measure_id"), project.get("strategy_id")]


def goal_order(goal: str | None) -> tuple:
    """Goals in their natural order (NS-2 before NS-10), the unaligned row last."""
    if goal is None:
        return (1, ())
    return (0, tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", goal)))


@dataclass
class _Row:
    framework: Decimal = ZERO
    money: dict[str, Decimal] = field(default_factory=dict)
    strategies: list[str] = field(default_factory=list)
    projects: int = 0
    progress: list[Decimal] = field(default_factory=list)  # latest percent complete of each reporting project

    def add_money(self, kind: str, amount: Decimal) -> None:
        self.money[kind] = self.money.get(kind, ZERO) + amount

    def add_project(self, percent: Decimal | None) -> None:
        self.projects += 1
        if percent is not None:
            self.progress.append(percent)


def _mean(values: list[Decimal]) -> str | None:
    if not values:
        return None
    return str((sum(values, ZERO) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _progress(row: _Row) -> dict[str, Any]:
    return {"projects": row.projects, "reporting_projects": len(row.progress), "mean_percent_complete": _mean(row.progress)}


@dataclass(frozen=True)
class PlanFigures:
    """What the report counts, as the read models hold it."""

    plan_framework: Decimal | None  # the plan's own total (None: the sum of its strategies)
    strategies: list[dict[str, Any]]  # strategy_id, code, budget_framework
    placement: dict[str, dict[str, Any]]  # project_id -> where it sits (strategy, measure, work plan ids)
    postings: list[tuple[str | None, str | None, str, Decimal]]  # project_id, strategy_id, kind, total
    progress: list[tuple[dict[str, Any], Decimal | None]]  # each project the caller sees, its latest percent


def by_goal(links: GoalLinks, figures: PlanFigures) -> dict[str, Any]:
    """The rows by goal and the total row; every figure lands in exactly one row."""
    rows: dict[str | None, _Row] = {goal: _Row() for goal in links.secondary}

    def row(goal: str | None) -> _Row:
        return rows.setdefault(goal, _Row())

    under_strategies = ZERO
    for s in figures.strategies:
        amount = s["budget_framework"] or ZERO
        target = row(links.goal_of([s["strategy_id"]]))
        target.framework += amount
        target.strategies.append(s["code"])
        under_strategies += amount
    plan_total = figures.plan_framework if figures.plan_framework is not None else under_strategies
    if plan_total != under_strategies:  # framework held at plan level, outside every strategy
        row(links.root_goal).framework += plan_total - under_strategies

    ledger: dict[str, Decimal] = {}
    for project_id, strategy_id, kind, amount in figures.postings:
        project = figures.placement.get(project_id or "")
        path = project_path_up(project) if project is not None else [project_id, strategy_id]
        row(links.goal_of(path)).add_money(kind, amount)
        ledger[kind] = ledger.get(kind, ZERO) + amount

    total = _Row()
    for project, percent in figures.progress:
        row(links.goal_of(project_path_up(project))).add_project(percent)
        total.add_project(percent)

    return {
        "rows": [
            {
                "goal": goal,
                "title": links.titles.get(goal) if goal is not None else None,
                "budget": budget_block(r.money, framework=r.framework, show_framework=True),
                "progress": _progress(r),
                "strategies": r.strategies,
                "secondary": links.secondary.get(goal, []) if goal is not None else [],
            }
            for goal, r in sorted(rows.items(), key=lambda kv: goal_order(kv[0]))
        ],
        "total": {"budget": budget_block(ledger, framework=plan_total, show_framework=True), "progress": _progress(total)},
    }
