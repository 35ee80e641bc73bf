"""The facts an evaluation needs, assembled in bulk (a handful of queries per scorecard, not per
project) from the repositories."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from monitoring.adapters.repositories import Repositories
from monitoring.domain.evaluation import IndicatorFacts, ProjectFacts, ReportFacts


def report_facts(row: dict[str, Any]) -> ReportFacts:
    milestones = row["milestones"] or []
    return ReportFacts(
        fiscal_year=row["fiscal_year"],
        quarter=row["quarter"],
        revision=row["revision"],
        percent_complete=Decimal(row["percent_complete"]),
        milestones_done=all(bool(m.get("done")) for m in milestones),
        actuals={a["indicator_id"]: Decimal(a["value"]) for a in (row["actuals"] or []) if a.get("value") is not None},
        report_id=row["report_id"],
    )


def indicator_facts(row: dict[str, Any], targets: dict[int, Decimal]) -> IndicatorFacts:
    return IndicatorFacts(
        indicator_id=row["indicator_id"],
        code=row["code"],
        measure_type=row["measure_type"],
        direction=row["direction"],
        baseline=Decimal(row["baseline"]) if row["baseline"] is not None else None,
        targets=targets,
    )


async def project_facts(repos: Repositories, projects: list[dict[str, Any]], fiscal_year: int) -> dict[str, ProjectFacts]:
    ids = [p["project_id"] for p in projects]
    reports = await repos.reports.latest_revisions(ids)
    rows = await repos.indicators.of_projects(ids)
    targets = await repos.indicators.targets_by_indicator([r["indicator_id"] for r in rows])
    attached: dict[str, list[IndicatorFacts]] = {}
    for row in rows:
        attached.setdefault(row["link_id"], []).append(indicator_facts(row, targets.get(row["indicator_id"], {})))
    money = await repos.read_models.budget_totals(fiscal_year, ids)
    return {
        p["project_id"]: ProjectFacts(
            project_id=p["project_id"],
            start_fy=p["start_fy"],
            end_fy=p["end_fy"],
            reports=[report_facts(r) for r in reports.get(p["project_id"], [])],
            indicators=attached.get(p["project_id"], []),
            allocated=money.get(p["project_id"], {}).get("allocation", Decimal(0)),
            disbursed=money.get(p["project_id"], {}).get("disbursement", Decimal(0)),
        )
        for p in projects
    }
