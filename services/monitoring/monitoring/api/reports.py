"""Mid-year and year-end reports per fiscal year, budget execution, and budget and progress by
national-framework goal; JSON or CSV."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request

from dgplan_contracts.assertion import optional_principal
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.url_guards import refuse_bad_text_in_url
from dgplan_contracts.codes import CODE_PATTERN
from monitoring.api.csv_export import alignment_csv, budget_execution_csv, scorecard_csv
from monitoring.api.deps import FiscalYearQuery, OptionalFiscalYear, rules, run_query
from monitoring.api.evaluations import CSV_RESPONSES, ScopeQuery, csv_response
from monitoring.application import alignment_report, budget_execution, period_report
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


@router.get("/reports/alignment", responses=CSV_RESPONSES,
            summary="Budget and progress of a plan by goal of a national framework (National Strategy by default)")
async def get_alignment_report(
    request: Request,
    plan_id: str = Query(max_length=64),
    framework: str = Query(default=alignment_report.NATIONAL_STRATEGY, max_length=64, pattern=CODE_PATTERN,
                           description="The framework's code, as GET /api/v1/frameworks lists them"),
    fiscal_year: OptionalFiscalYear = None,
    format: Literal["json", "csv"] = "json",
    version: ScopeQuery = None,
):  # type: ignore[no-untyped-def]
    """Each baht and each project counts to one goal: the nearest primary link up the plan's tree
    (project, work plan, measure, strategy, the plan), else "unaligned" (goal null); the rows add
    up to the total row, which is the plan's framework and its ledger totals exactly. Secondary
    links are listed beside their goal without money. fiscal_year narrows the ledger columns and
    the progress (latest report up to that year), not the framework."""
    report = await run_query(request, alignment_report.handle, alignment_report.GetAlignmentReport(
        optional_principal(request), plan_id, framework, fiscal_year, version))
    if format == "csv":
        return csv_response(alignment_csv(report), f"alignment-{framework}.csv")
    return report
