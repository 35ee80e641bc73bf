"""Evaluation rules, project evaluations and plan scorecards."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse

from dgplan_contracts.identity import AGENCY, Principal, require_role
from dgplan_contracts.assertion import optional_principal, principal_from_request
from dgplan_shared.problems import PROBLEM_RESPONSES, not_found
from dgplan_shared.service import get_runtime
from monitoring.api.common import (
    OVERSIGHT,
    checked_as_of,
    refuse_nul_characters,
    require_project_reader,
    rules,
    today,
)
from monitoring.db.queries import project_facts, project_row
from monitoring.domain import evaluation as evaluation_rules
from monitoring.domain.evaluation import evaluate_project
from monitoring.domain.fiscal import fiscal_year_of
from monitoring.usecases.project_visibility import Version, project_scope
from monitoring.usecases.scorecard import build_scorecard, default_as_of, plan_row

router = APIRouter(prefix="/api/v1/monitoring", tags=["evaluation"], responses=PROBLEM_RESPONSES,
                   dependencies=[Depends(refuse_nul_characters)])


def require_plan_reader(principal: Principal | None, plan: dict) -> None:
    """Scorecards of approved plans are public; of drafts, for authenticated participants only."""
    if plan.get("approved_version_id"):
        return
    require_role(principal or Principal("anonymous"), AGENCY, *OVERSIGHT)


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
    principal: Annotated[Principal, Depends(principal_from_request)],
    as_of: date | None = Query(default=None, description="Evaluate as of this date (default today)"),
) -> dict:
    day = checked_as_of(as_of) or today(request)
    async with get_runtime(request).db.session() as session:
        project = await project_row(session, project_id)
        if project is None:
            raise not_found("project", project_id)
        require_project_reader(principal, project)
        facts = (await project_facts(session, [project], fiscal_year_of(day)))[project_id]
    result = evaluate_project(facts, day, rules(request)).to_dict()
    result.update(code=project["code"], title={"th": project["title_th"], "en": project["title_en"]},
                  lead_agency=project["lead_agency"])
    return result


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


@router.get("/plans/{plan_id}/scorecard", summary="Plan scorecard for a fiscal year (public once approved)",
            responses=CSV_RESPONSES)
async def get_scorecard(
    plan_id: str,
    request: Request,
    fiscal_year: int = Query(ge=2400, le=2800),
    as_of: date | None = Query(default=None, description="Default: today, clipped to the fiscal year"),
    format: str = Query(default="json", pattern="^(json|csv)$"),
    version: ScopeQuery = None,
):  # type: ignore[no-untyped-def]
    principal = optional_principal(request)
    day = checked_as_of(as_of) or default_as_of(fiscal_year, today(request))
    async with get_runtime(request).db.session() as session:
        require_plan_reader(principal, await plan_row(session, plan_id))
        scope = await project_scope(session, principal, version, plan_id)
        card = await build_scorecard(session, plan_id, fiscal_year, day, rules(request), scope=scope)
    if format == "csv":
        from monitoring.usecases.csv_export import scorecard_csv

        return csv_response(scorecard_csv(card), f"scorecard-{fiscal_year}.csv")
    return card
