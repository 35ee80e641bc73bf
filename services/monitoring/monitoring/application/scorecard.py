"""The plan scorecard for a fiscal year: project statuses and their roll-ups to strategies, plan
targets and the plan; completeness; budget execution against the frameworks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from dgplan_contracts.fiscal import fiscal_year_range, fiscal_year_range_json
from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid, not_found
from monitoring.adapters.repositories import Repositories, repositories
from monitoring.application.evaluation_facts import indicator_facts, project_facts
from monitoring.application.project_visibility import ProjectScope, Version, project_scope, projects_shown
from monitoring.domain.access import require_plan_reader
from monitoring.domain.budget import budget_block, summed
from monitoring.domain.evaluation import NOT_REPORTING, Thresholds, evaluate_project, indicator_check, roll_up
from monitoring.domain.fiscal import clipped_to_fiscal_year, quarter_of


@dataclass(frozen=True)
class GetScorecard:
    principal: Principal | None
    plan_id: str
    fiscal_year: int
    today: date
    rules: Thresholds
    as_of: date | None = None  # default: today, clipped to the fiscal year
    version: Version | None = None


async def plan_row(repos: Repositories, plan_id: str) -> dict[str, Any]:
    row = await repos.read_models.plan(plan_id)
    if row is None:
        raise not_found("plan", plan_id)
    return row


def _title(row: dict[str, Any]) -> dict[str, str | None]:
    return {"th": row["title_th"], "en": row["title_en"]}


async def handle(query: GetScorecard, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    require_plan_reader(query.principal, await plan_row(repos, query.plan_id))
    scope = await project_scope(repos, query.principal, query.version, query.plan_id)
    as_of = query.as_of or clipped_to_fiscal_year(query.fiscal_year, query.today)
    return await build_scorecard(repos, query.plan_id, query.fiscal_year, as_of, query.rules, scope=scope)


async def build_scorecard(
    repos: Repositories, plan_id: str, fiscal_year: int, as_of: date, rules: Thresholds, *, scope: ProjectScope
) -> dict[str, Any]:
    """``scope`` decides which projects count (the approved version's, or also proposals): every
    roll-up, total and completeness figure is over those projects only."""
    plan = await plan_row(repos, plan_id)
    start, end = fiscal_year_range(fiscal_year)
    if not start <= as_of <= end:
        raise invalid("as_of", f"must fall in fiscal year {fiscal_year} ({start} to {end})")
    if plan["start_fy"] and plan["end_fy"] and not plan["start_fy"] <= fiscal_year <= plan["end_fy"]:
        raise invalid("fiscal_year", f"the plan runs in fiscal years {plan['start_fy']}-{plan['end_fy']}")
    strategies = await repos.read_models.strategies(plan_id)
    targets = await repos.read_models.plan_targets(plan_id)
    projects = await projects_shown(repos, plan_id, scope)

    facts = await project_facts(repos, projects, fiscal_year)
    evaluations = {pid: evaluate_project(f, as_of, rules) for pid, f in facts.items()}
    money_by_project = await repos.read_models.budget_totals(fiscal_year, [p["project_id"] for p in projects])

    current = quarter_of(as_of)
    project_views = []
    for p in projects:
        ev = evaluations[p["project_id"]]
        reported_now = any(r.period == current for r in facts[p["project_id"]].reports)
        latest = ev.latest_report
        project_views.append({
            "project_id": p["project_id"],
            "code": p["code"],
            "title": _title(p),
            "strategy_id": p["strategy_id"],
            "lead_agency": p["lead_agency"],
            "target_ids": p["target_ids"],
            "in_approved_version": scope.in_approved_version(p["project_id"]),
            "status": ev.status,
            "at_risk": ev.at_risk,
            "reason": ev.reason,
            "percent_complete": None if latest is None else str(latest.percent_complete),
            "latest_quarter": None if latest is None else latest.period.label(),
            "reported_this_quarter": reported_now,
            "budget": budget_block(money_by_project.get(p["project_id"], {})),
        })

    def group(members: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Decimal]]:
        rolled = roll_up([m["status"] for m in members], rules)
        totals = summed([money_by_project.get(m["project_id"], {}) for m in members])
        return rolled, totals

    strategy_views = []
    for s in strategies:
        members = [v for v in project_views if v["strategy_id"] == s["strategy_id"]]
        rolled, totals = group(members)
        strategy_views.append({
            "strategy_id": s["strategy_id"],
            "code": s["code"],
            "number": s["number"],
            "title": _title(s),
            **rolled,
            "completeness": _completeness(s["declared_projects"], members),
            "budget": budget_block(totals, framework=s["budget_framework"], show_framework=True),
        })
    target_views = []
    for target in targets:
        members = [v for v in project_views if target["target_id"] in (v["target_ids"] or [])]
        rolled, totals = group(members)
        target_views.append({
            "target_id": target["target_id"], "code": target["code"], "title": _title(target), **rolled,
            "budget": budget_block(totals),
        })
    plan_rolled, plan_totals = group(project_views)
    plan_indicators = await _plan_level_indicators(repos, strategies, targets, fiscal_year, as_of, rules)
    for view in strategy_views:
        view["indicators"] = _linked(plan_indicators, "strategy", view["strategy_id"])
    for view in target_views:
        view["indicators"] = _linked(plan_indicators, "plan_target", view["target_id"])
    due = next((ev.last_due_quarter for ev in evaluations.values() if ev.last_due_quarter), None)
    return {
        "plan": {
            "plan_id": plan_id,
            "code": plan["code"],
            "title": _title(plan),
            "start_fy": plan["start_fy"],
            "end_fy": plan["end_fy"],
            "approved": plan["approved_version_id"] is not None,
        },
        "version": scope.version,
        "fiscal_year": fiscal_year,
        "fiscal_year_range": fiscal_year_range_json(fiscal_year),
        "as_of": as_of.isoformat(),
        "quarter": quarter_of(as_of).quarter,
        "last_due_quarter": None if due is None else {"fiscal_year": due.fiscal_year, "quarter": due.quarter},
        **plan_rolled,
        "completeness": _completeness(plan["declared_projects"], project_views),
        "budget": budget_block(plan_totals, framework=plan["budget_framework"], show_framework=True),
        "strategies": strategy_views,
        "targets": target_views,
        "indicators": plan_indicators,
        "projects": project_views,
    }


def _linked(plan_indicators: list[dict[str, Any]], link_type: str, link_id: str) -> list[dict[str, Any]]:
    return [
        {"code": i["code"], "status": i["status"], "actual": i["actual"], "target": i["target"]}
        for i in plan_indicators
        if i["link"] == {"type": link_type, "id": link_id}
    ]


def _completeness(declared: int | None, members: list[dict[str, Any]]) -> dict[str, Any]:
    silent = [m["code"] or m["project_id"] for m in members if m["status"] == NOT_REPORTING]
    quiet_now = [m["code"] or m["project_id"] for m in members if not m["reported_this_quarter"]]
    return {
        "declared_projects": declared,
        "registered_projects": len(members),
        "unregistered_projects": None if declared is None else max(declared - len(members), 0),
        "reporting_projects": len(members) - len(silent),
        "not_reporting_projects": silent,  # no report for the last quarter already due
        "not_reported_this_quarter": quiet_now,  # the quarter containing the as-of date
    }


async def _plan_level_indicators(
    repos: Repositories, strategies: list[dict], targets: list[dict], fiscal_year: int, as_of: date,
    rules: Thresholds,
) -> list[dict[str, Any]]:
    rows = await repos.indicators.of_plan_level([s["strategy_id"] for s in strategies],
                                                [t["target_id"] for t in targets])
    ids = [r["indicator_id"] for r in rows]
    by_indicator = await repos.indicators.targets_by_indicator(ids)
    actuals = await repos.indicators.latest_actuals(ids, fiscal_year, quarter_of(as_of).quarter)
    views = []
    for r in rows:
        facts = indicator_facts(r, by_indicator.get(r["indicator_id"], {}))
        value, quarter, actual_row = actuals.get(r["indicator_id"], (None, None, None))
        check = indicator_check(facts, fiscal_year, value, quarter, rules)
        target = facts.targets.get(fiscal_year)
        views.append({
            "indicator_id": r["indicator_id"],
            "code": r["code"],
            "name": {"th": r["name_th"], "en": r["name_en"]},
            "unit": r["unit"],
            "measure_type": r["measure_type"],
            "direction": r["direction"],
            "link": {"type": r["link_type"], "id": r["link_id"]},
            "baseline": r["baseline"],
            "target": None if target is None else format(target.normalize(), "f"),
            "actual": None if actual_row is None else actual_row["value"],
            "actual_note": None if actual_row is None else actual_row["note"],
            "actual_quarter": quarter,
            "status": None if check is None else check.status,
            "achievement": None if check is None or check.measured is None else str(check.measured.quantize(
                Decimal("0.01"))),
        })
    return views
