"""/api/v1/monitoring/progress-reports"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from dgplan_shared.commands import run_command
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.pagination import Cursor, Limit
from dgplan_shared.web.url_guards import refuse_bad_text_in_url
from monitoring.api.deps import Caller, OptionalFiscalYear, body_payload, rules, run_query, today
from monitoring.api.schemas import ProgressReportIn
from monitoring.application import get_progress_report as reading
from monitoring.application import list_progress_reports as listing
from monitoring.application import submit_progress_report
from monitoring.application.submit_progress_report import ReportedActual, SubmitProgressReport

router = APIRouter(prefix="/api/v1/monitoring/progress-reports", tags=["progress reports"],
                   responses=PROBLEM_RESPONSES,
                   dependencies=[Depends(refuse_bad_text_in_url)])


@router.post("", status_code=201, summary="Submit a quarterly progress report or a correction (lead agency)")
async def post_progress_report(
    body: ProgressReportIn,
    request: Request,
    principal: Caller,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Response:
    command = SubmitProgressReport(
        principal=principal, project_id=body.project_id, fiscal_year=body.fiscal_year, quarter=body.quarter,
        percent_complete=body.percent_complete, today=today(request), rules=rules(request),
        actuals=tuple(ReportedActual(a.indicator_id, a.value, a.numerator, a.denominator, a.note)
                      for a in body.actuals),
        milestones=tuple(m.model_dump(mode="json") for m in body.milestones),
        issues=tuple(i.model_dump(mode="json") for i in body.issues),
        narrative_th=body.narrative.th if body.narrative else None,
        narrative_en=body.narrative.en if body.narrative else None,
        evidence=tuple(e.model_dump(mode="json") for e in body.evidence),
        revises_report_id=body.revises_report_id, revision_reason=body.revision_reason,
    )
    return await run_command(
        request, submit_progress_report.handle, command, status=201, idempotency_key=idempotency_key,
        payload=body_payload(body), subject=principal.subject, require_key=True,
        headers=lambda view: {"Location": f"{router.prefix}/{view['report_id']}"},
    )


@router.get("", summary="List progress reports (every revision; latest_only for the current ones)")
async def list_progress_reports(
    request: Request,
    principal: Caller,
    project_id: str | None = Query(default=None, max_length=64),
    fiscal_year: OptionalFiscalYear = None,
    quarter: int | None = Query(default=None, ge=1, le=4),
    agency: str | None = Query(default=None, max_length=100),
    latest_only: bool = False,
    sort: Literal["period", "-period"] = "period",
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict:
    return await run_query(request, listing.handle, listing.ListProgressReports(
        principal, project_id, fiscal_year, quarter, agency, latest_only, sort.startswith("-"), limit, cursor))


@router.get("/{report_id}", summary="Read one revision of a progress report")
async def get_progress_report(report_id: str, request: Request, principal: Caller) -> dict:
    return await run_query(request, reading.handle,
                           reading.GetProgressReport(principal, report_id))
