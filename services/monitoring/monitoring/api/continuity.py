"""A project across plans: the line of projects continuing one another, with money and indicators."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Request

from dgplan_contracts.assertion import optional_principal
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.url_guards import refuse_bad_text_in_url
from monitoring.api.deps import run_query
from monitoring.application import project_continuity

router = APIRouter(prefix="/api/v1/monitoring", tags=["evaluation"], responses=PROBLEM_RESPONSES,
                   dependencies=[Depends(refuse_bad_text_in_url)])


@router.get("/projects/{project_id}/continuity",
            summary="A project across plans: what it continues and what continues it, with money and indicators")
async def get_project_continuity(request: Request, project_id: str = Path(max_length=64)) -> dict:
    """The projects before it (oldest first), the project, then those continuing it; each with its
    allocations, commitments and disbursements per fiscal year and its indicators' targets and
    actuals; and the line's money per fiscal year. Public for approved projects; a draft's project
    only for oversight and the agencies taking part (others: 404)."""
    return await run_query(request, project_continuity.handle, project_continuity.GetProjectContinuity(
        optional_principal(request), project_id))
