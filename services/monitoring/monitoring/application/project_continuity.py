"""A project across plans: the projects it continues and the ones that continue it (the registry's
``continues_project_id``), each with its money per fiscal year and its indicators' targets and
actuals, and the whole line's money per fiscal year.

Each project is shown to the caller as the plan-wide views show it (application/project_visibility.py):
the approved version's snapshot to the public and to other agencies, the latest to oversight and
to the agencies taking part; a project the caller may not see is left out of the line, and asking
for one is 404, as the registry answers for a draft's project.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found
from monitoring.adapters.repositories import Repositories, repositories
from monitoring.application.project_visibility import ProjectScope, project_scope
from monitoring.domain.budget import ZERO, budget_block

MAX_LINE = 50  # plans are five years; a line this long is a loop in the data, not a history


@dataclass(frozen=True)
class GetProjectContinuity:
    principal: Principal | None
    project_id: str


class _Shown:
    """The snapshot of each project the caller may see (None: hidden)."""

    def __init__(self, repos: Repositories, scope: ProjectScope) -> None:
        self.repos, self.scope = repos, scope
        self.cache: dict[str, dict[str, Any] | None] = {}

    async def get(self, project_id: str) -> dict[str, Any] | None:
        if project_id not in self.cache:
            self.cache[project_id] = await self._load(project_id)
        return self.cache[project_id]

    async def _load(self, project_id: str) -> dict[str, Any] | None:
        latest = await self.repos.read_models.project(project_id)
        if latest is None:
            return None
        if self.scope.everything or project_id in self.scope.own_ids:
            return latest
        return (await self.repos.read_models.approved_snapshots([project_id])).get(project_id)


async def handle(query: GetProjectContinuity, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    scope = await project_scope(repos, query.principal, "latest")
    shown = _Shown(repos, scope)
    start = await shown.get(query.project_id)
    if start is None:
        raise not_found("project", query.project_id)
    line = await _line(shown, start)
    return await _continuity(repos, query.project_id, line, scope)


async def _line(shown: _Shown, start: dict[str, Any]) -> list[dict[str, Any]]:
    """The projects before ``start`` (oldest first), ``start``, then those continuing it (breadth
    first: a project may be split into two in the next plan)."""
    before: list[dict[str, Any]] = []
    seen = {start["project_id"]}
    current = start
    while current.get("continues_project_id") and len(seen) < MAX_LINE:
        previous = await shown.get(current["continues_project_id"])
        if previous is None or previous["project_id"] in seen:
            break
        seen.add(previous["project_id"])
        before.insert(0, previous)
        current = previous
    after: list[dict[str, Any]] = []
    frontier = [start]
    while frontier and len(seen) < MAX_LINE:
        following = []
        for project in frontier:
            for project_id in await shown.repos.read_models.continuing(project["project_id"]):
                successor = await shown.get(project_id)
                # the snapshot the caller sees must itself say so (a draft's new link stays a draft's)
                if successor is None or project_id in seen or successor.get("continues_project_id") != project["project_id"]:
                    continue
                seen.add(project_id)
                following.append(successor)
        after.extend(following)
        frontier = following
    return [*before, start, *after]


def _years(money: dict[int | None, dict[str, Decimal]]) -> list[dict[str, Any]]:
    return [{"fiscal_year": fy, **budget_block(totals)}
            for fy, totals in sorted(money.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))]


async def _indicators(repos: Repositories, project_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    rows = await repos.indicators.of_projects(project_ids)
    targets = await repos.indicators.targets_text([r["indicator_id"] for r in rows])
    reports = await repos.reports.latest_revisions(project_ids)
    actuals: dict[str, list[dict[str, Any]]] = {}
    for project_id in project_ids:
        for report in sorted(reports.get(project_id, []), key=lambda r: (r["fiscal_year"], r["quarter"])):
            for actual in report["actuals"] or []:
                if actual.get("indicator_id") and actual.get("value") is not None:
                    actuals.setdefault(actual["indicator_id"], []).append(
                        {"fiscal_year": report["fiscal_year"], "quarter": report["quarter"], "value": actual["value"]})
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["link_id"], []).append({
            "indicator_id": r["indicator_id"], "code": r["code"], "name": {"th": r["name_th"], "en": r["name_en"]},
            "unit": r["unit"], "direction": r["direction"], "baseline": r["baseline"],
            "targets": [{"fiscal_year": fy, "target": t} for fy, t in targets.get(r["indicator_id"], [])],
            "actuals": actuals.get(r["indicator_id"], []),
        })
    return out


async def _continuity(repos: Repositories, project_id: str, line: list[dict[str, Any]],
                      scope: ProjectScope) -> dict[str, Any]:
    ids = [p["project_id"] for p in line]
    money = await repos.read_models.budget_by_year(ids)
    indicators = await _indicators(repos, ids)
    plans = {p["plan_id"]: await repos.read_models.plan(p["plan_id"]) for p in line if p.get("plan_id")}
    across: dict[int | None, dict[str, Decimal]] = {}
    projects = []
    for p in line:
        years = money.get(p["project_id"], {})
        for fy, totals in years.items():
            year = across.setdefault(fy, {})
            for kind, amount in totals.items():
                year[kind] = year.get(kind, ZERO) + amount
        plan = plans.get(p.get("plan_id")) or {}
        projects.append({
            "project_id": p["project_id"], "code": p["code"], "title": {"th": p["title_th"], "en": p["title_en"]},
            "plan_id": p.get("plan_id"), "plan_code": plan.get("code"),
            "start_fy": p["start_fy"], "end_fy": p["end_fy"], "lead_agency": p["lead_agency"],
            "continues_project_id": p.get("continues_project_id"),
            "in_approved_version": scope.in_approved_version(p["project_id"]),
            "budget_by_fiscal_year": _years(years),
            "indicators": indicators.get(p["project_id"], []),
        })
    totals: dict[str, Decimal] = {}
    for year in across.values():
        for kind, amount in year.items():
            totals[kind] = totals.get(kind, ZERO) + amount
    return {
        "project_id": project_id,
        "projects": projects,
        "budget_by_fiscal_year": _years(across),
        "total": budget_block(totals),
    }
