"""Reads that assemble evaluation facts in bulk (a handful of queries per scorecard, not per project)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_contracts.storage import Satang

from monitoring.db.tables import indicator_targets, indicators, progress_reports, rm_budget_entries, rm_projects
from monitoring.domain.evaluation import IndicatorFacts, ProjectFacts, ReportFacts


async def project_row(session: AsyncSession, project_id: str) -> dict[str, Any] | None:
    row = (await session.execute(select(rm_projects).where(rm_projects.c.project_id == project_id))).mappings().first()
    return dict(row) if row else None


async def latest_reports(session: AsyncSession, project_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The latest revision of every quarter's report, per project."""
    if not project_ids:
        return {}
    rows = (
        await session.execute(
            select(progress_reports)
            .where(progress_reports.c.project_id.in_(project_ids))
            .order_by(progress_reports.c.project_id, progress_reports.c.fiscal_year,
                      progress_reports.c.quarter, progress_reports.c.revision)
        )
    ).mappings().all()
    latest: dict[tuple[str, int, int], dict[str, Any]] = {}
    for row in rows:
        latest[(row["project_id"], row["fiscal_year"], row["quarter"])] = dict(row)
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (project_id, _, _), row in latest.items():
        out[project_id].append(row)
    return out


async def project_indicators(session: AsyncSession, project_ids: list[str]) -> dict[str, list[IndicatorFacts]]:
    if not project_ids:
        return {}
    rows = (
        await session.execute(
            select(indicators).where(indicators.c.link_type == "project", indicators.c.link_id.in_(project_ids))
        )
    ).mappings().all()
    targets = await targets_by_indicator(session, [r["indicator_id"] for r in rows])
    out: dict[str, list[IndicatorFacts]] = defaultdict(list)
    for row in rows:
        out[row["link_id"]].append(
            IndicatorFacts(
                indicator_id=row["indicator_id"],
                code=row["code"],
                measure_type=row["measure_type"],
                direction=row["direction"],
                baseline=Decimal(row["baseline"]) if row["baseline"] is not None else None,
                targets=targets.get(row["indicator_id"], {}),
            )
        )
    return out


async def targets_by_indicator(session: AsyncSession, indicator_ids: list[str]) -> dict[str, dict[int, Decimal]]:
    if not indicator_ids:
        return {}
    rows = (
        await session.execute(select(indicator_targets).where(indicator_targets.c.indicator_id.in_(indicator_ids)))
    ).all()
    out: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for indicator_id, fiscal_year, target in rows:
        out[indicator_id][fiscal_year] = Decimal(target)
    return out


async def budget_totals(
    session: AsyncSession, fiscal_year: int, project_ids: list[str] | None = None
) -> dict[str, dict[str, Decimal]]:
    """project_id -> {kind: total} in one fiscal year."""
    query = (
        select(
            rm_budget_entries.c.project_id,
            rm_budget_entries.c.kind,
            func.sum(rm_budget_entries.c.amount, type_=Satang()),
        )
        .where(rm_budget_entries.c.fiscal_year == fiscal_year)
        .group_by(rm_budget_entries.c.project_id, rm_budget_entries.c.kind)
    )
    if project_ids is not None:
        query = query.where(rm_budget_entries.c.project_id.in_(project_ids))
    out: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for project_id, kind, total in (await session.execute(query)).all():
        out[project_id][kind] = total  # Satang turns the summed satang back into baht
    return out


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


async def project_facts(
    session: AsyncSession, projects: list[dict[str, Any]], fiscal_year: int
) -> dict[str, ProjectFacts]:
    ids = [p["project_id"] for p in projects]
    reports = await latest_reports(session, ids)
    attached = await project_indicators(session, ids)
    money = await budget_totals(session, fiscal_year, ids)
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
