"""Evaluation rules, project evaluations and plan scorecards."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse, Response

from dgplan_contracts.assertion import optional_principal
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.service import get_runtime
from dgplan_shared.web.url_guards import refuse_bad_text_in_url
from monitoring.api.csv_export import scorecard_csv
from monitoring.api.xlsx_export import XLSX, scorecard_xlsx
from monitoring.api.deps import Caller, FiscalYearQuery, checked_as_of, rules, run_query, today
from monitoring.application import get_project_evaluation as evaluating
from monitoring.application import scorecard
from monitoring.application.project_visibility import Version
from monitoring.domain import evaluation as evaluation_rules

router = APIRouter(prefix="/api/v1/monitoring", tags=["evaluation"], responses=PROBLEM_RESPONSES,
                   dependencies=[Depends(refuse_bad_text_in_url)])


@router.get("/evaluation-rules", summary="The active evaluation rules and thresholds")
async def get_evaluation_rules(request: Request) -> dict:
    settings = get_runtime(request).settings
    return {
        "statuses": list(evaluation_rules.STATUSES),
        "thresholds": {
            name: getattr(settings, name) for name in evaluation_rules.Thresholds.__dataclass_fields__
        },
        "description": (evaluation_rules.__doc__ or "").strip(),
    }


@router.get("/projects/{project_id}/evaluation", summary="A project's status as of a date")
async def get_project_evaluation(
    project_id: str,
    request: Request,
    principal: Caller,
    as_of: date | None = Query(default=None, description="Evaluate as of this date (default today)"),
) -> dict:
    day = checked_as_of(as_of) or today(request)
    return await run_query(request, evaluating.handle, evaluating.GetProjectEvaluation(
        principal, project_id, day, rules(request)))


ScopeQuery = Annotated[Version | None, Query(description=(
    "Which projects count: 'approved' (the approved version's; the default for the public and agencies) "
    "or 'latest' (also projects proposed in drafts; the default for oversight roles; an agency then "
    "adds only its own proposals)"))]

# Documents the `format=csv` answer next to the JSON one.
CSV_RESPONSES: dict[int | str, dict] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "JSON, or CSV with format=csv"}
}


def csv_response(text: str, filename: str) -> PlainTextResponse:
    return PlainTextResponse(text, media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# The scorecard also comes as a workbook for people (Thai labels; English with lang=en).
SCORECARD_RESPONSES: dict[int | str, dict] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
        "description": "JSON; CSV (column codes) with format=csv; XLSX (a sheet per table, Thai headers) with format=xlsx",
    }
}


def xlsx_response(content: bytes, filename: str) -> Response:
    return Response(content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/plans/{plan_id}/scorecard", summary="Plan scorecard for a fiscal year (public once approved)",
            responses=SCORECARD_RESPONSES)
async def get_scorecard(
    plan_id: str,
    request: Request,
    fiscal_year: FiscalYearQuery,
    as_of: date | None = Query(default=None, description="Default: today, clipped to the fiscal year"),
    format: str = Query(default="json", pattern="^(json|csv|xlsx)$"),
    version: ScopeQuery = None,
    lang: Literal["th", "en"] = Query(default="th", description="Headers and labels of format=xlsx"),
):  # type: ignore[no-untyped-def]
    card = await run_query(request, scorecard.handle, scorecard.GetScorecard(
        optional_principal(request), plan_id, fiscal_year, today(request), rules(request),
        as_of=checked_as_of(as_of), version=version))
    if format == "csv":
        return csv_response(scorecard_csv(card), f"scorecard-{fiscal_year}.csv")
    if format == "xlsx":
        return xlsx_response(scorecard_xlsx(card, lang), f"scorecard-{fiscal_year}.xlsx")
    return card
