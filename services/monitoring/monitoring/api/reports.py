"""Mid-year and year-end reports per fiscal year, and budget execution; JSON or CSV."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request

from dgplan_contracts.assertion import optional_principal
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.url_guards import refuse_bad_text_in_url
from monitoring.api.csv_export import budget_execution_csv, scorecard_csv
from monitoring.api.deps import FiscalYearQuery, OptionalFiscalYear, rules, run_query
from monitoring.api.evaluations import CSV_RESPONSES, ScopeQuery, csv_response
from monitoring.application import budget_execution, period_report
from monitoring.application.period_report import Period
from monitoring.application.project_visibility import Version

router = APIRouter(prefix="/api/v1/monitoring", tags=["reports"], responses=PROBLEM_RESPONSES,
                   dependencies=[Depends(refuse_bad_text_in_url)])


async def _period_report(request: Request, kind: Period, fiscal_year: int, plan_id: str | None,
                         format: str, version: Version | None):  # type: ignore[no-untyped-def]
    report = await run_query(request, period_report.handle, period_report.GetPeriodReport(
        optional_principal(request), kind, fiscal_year, rules(request), plan_id, version))
    if format == "csv":
        return csv_response(scorecard_csv(report), f"{kind}-{fiscal_year}.csv")
    return report


@router.get("/reports/mid-year", summary="Mid-year report: the scorecard as of 31 March (end of Q2)",
            responses=CSV_RESPONSES)
async def mid_year(
    request: Request,
    fiscal_year: FiscalYearQuery,
    plan_id: str | None = Query(default=None, max_length=64),
    format: Literal["json", "csv"] = "json",
    version: ScopeQuery = None,
):  # type: ignore[no-untyped-def]
    return await _period_report(request, "mid-year", fiscal_year, plan_id, format, version)


@router.get("/reports/year-end", summary="Year-end report: the scorecard as of 30 September (end of Q4)",
            responses=CSV_RESPONSES)
async def year_end(
    request: Request,
    fiscal_year: FiscalYearQuery,
    plan_id: str | None = Query(default=None, max_length=64),
    format: Literal["json", "csv"] = "json",
    version: ScopeQuery = None,
):  # type: ignore[no-untyped-def]
    return await _period_report(request, "year-end", fiscal_year, plan_id, format, version)


@router.get("/budget-execution", summary="Budget execution rate by strategy, agency or fiscal year",
            responses=CSV_RESPONSES)
async def get_budget_execution(
    request: Request,
    group_by: Literal["strategy", "agency", "fiscal_year"] = "strategy",
    plan_id: str | None = Query(default=None, max_length=64),
    fiscal_year: OptionalFiscalYear = None,
    format: Literal["json", "csv"] = "json",
):  # type: ignore[no-untyped-def]
    report = await run_query(request, budget_execution.handle, budget_execution.GetBudgetExecution(
        optional_principal(request), group_by, plan_id, fiscal_year))
    if format == "csv":
        return csv_response(budget_execution_csv(report), f"budget-execution-by-{group_by}.csv")
    return report
