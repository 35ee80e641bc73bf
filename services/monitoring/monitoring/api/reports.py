"""Mid-year and year-end reports per fiscal year, and budget execution; JSON or CSV."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select

from dgplan_contracts.identity import AGENCY, Principal, require_role
from dgplan_contracts.assertion import optional_principal
from dgplan_shared.problems import PROBLEM_RESPONSES, invalid, not_found
from dgplan_shared.service import get_runtime
from monitoring.api.common import OVERSIGHT, refuse_nul_characters, rules
from monitoring.api.evaluations import CSV_RESPONSES, ScopeQuery, csv_response, require_plan_reader
from monitoring.db.tables import rm_plans
from monitoring.domain.fiscal import FiscalQuarter
from monitoring.usecases.budget_execution import budget_execution
from monitoring.usecases.csv_export import budget_execution_csv, scorecard_csv
from monitoring.usecases.project_visibility import Version, project_scope
from monitoring.usecases.scorecard import build_scorecard, plan_row

router = APIRouter(prefix="/api/v1/monitoring", tags=["reports"], responses=PROBLEM_RESPONSES,
                   dependencies=[Depends(refuse_nul_characters)])


async def _plan_for_year(session, plan_id: str | None, fiscal_year: int) -> dict:  # type: ignore[no-untyped-def]
    if plan_id is not None:
        return await plan_row(session, plan_id)
    rows = [dict(r) for r in (await session.execute(
        select(rm_plans).where(rm_plans.c.start_fy <= fiscal_year, rm_plans.c.end_fy >= fiscal_year))).mappings()]
    if not rows:
        raise not_found("plan covering fiscal year", fiscal_year)
    if len(rows) > 1:
        raise invalid("plan_id", "several plans cover this fiscal year; name one")
    return rows[0]


async def _period_report(request: Request, kind: str, as_of: date, fiscal_year: int, plan_id: str | None,
                         format: str, version: Version | None):  # type: ignore[no-untyped-def]
    principal = optional_principal(request)
    async with get_runtime(request).db.session() as session:
        plan = await _plan_for_year(session, plan_id, fiscal_year)
        require_plan_reader(principal, plan)
        scope = await project_scope(session, principal, version, plan["plan_id"])
        card = await build_scorecard(session, plan["plan_id"], fiscal_year, as_of, rules(request), scope=scope)
        by_strategy = await budget_execution(session, "strategy", plan["plan_id"], fiscal_year)
        by_agency = await budget_execution(session, "agency", plan["plan_id"], fiscal_year)
    if format == "csv":
        return csv_response(scorecard_csv(card), f"{kind}-{fiscal_year}.csv")
    return {"report": kind, **card, "budget_execution": {"by_strategy": by_strategy["rows"],
                                                         "by_agency": by_agency["rows"]}}


@router.get("/reports/mid-year", summary="Mid-year report: the scorecard as of 31 March (end of Q2)",
            responses=CSV_RESPONSES)
async def mid_year(
    request: Request,
    fiscal_year: int = Query(ge=2400, le=2800),
    plan_id: str | None = Query(default=None, max_length=64),
    format: Literal["json", "csv"] = "json",
    version: ScopeQuery = None,
):  # type: ignore[no-untyped-def]
    return await _period_report(request, "mid-year", FiscalQuarter(fiscal_year, 2).end, fiscal_year, plan_id, format,
                                version)


@router.get("/reports/year-end", summary="Year-end report: the scorecard as of 30 September (end of Q4)",
            responses=CSV_RESPONSES)
async def year_end(
    request: Request,
    fiscal_year: int = Query(ge=2400, le=2800),
    plan_id: str | None = Query(default=None, max_length=64),
    format: Literal["json", "csv"] = "json",
    version: ScopeQuery = None,
):  # type: ignore[no-untyped-def]
    return await _period_report(request, "year-end", FiscalQuarter(fiscal_year, 4).end, fiscal_year, plan_id, format,
                                version)


@router.get("/budget-execution", summary="Budget execution rate by strategy, agency or fiscal year",
            responses=CSV_RESPONSES)
async def get_budget_execution(
    request: Request,
    group_by: Literal["strategy", "agency", "fiscal_year"] = "strategy",
    plan_id: str | None = Query(default=None, max_length=64),
    fiscal_year: int | None = Query(default=None, ge=2400, le=2800),
    format: Literal["json", "csv"] = "json",
):  # type: ignore[no-untyped-def]
    principal: Principal | None = optional_principal(request)
    async with get_runtime(request).db.session() as session:
        if plan_id is not None:
            require_plan_reader(principal, await plan_row(session, plan_id))
        else:
            require_role(principal or Principal("anonymous"), AGENCY, *OVERSIGHT)
        report = await budget_execution(session, group_by, plan_id, fiscal_year)
    if format == "csv":
        return csv_response(budget_execution_csv(report), f"budget-execution-by-{group_by}.csv")
    return report
