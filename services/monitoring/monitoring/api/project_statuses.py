"""/api/v1/monitoring/projects: the last announced status of every project (what committees
watch: ``?at_risk=true``)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request

from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.pagination import Cursor, Limit
from dgplan_shared.web.url_guards import refuse_bad_text_in_url
from monitoring.api.deps import Caller, run_query
from monitoring.application import list_project_statuses as listing

router = APIRouter(prefix="/api/v1/monitoring/projects", tags=["evaluation"], responses=PROBLEM_RESPONSES,
                   dependencies=[Depends(refuse_bad_text_in_url)])


@router.get("", summary="Projects with their last announced status (filter at_risk=true for committees)")
async def list_project_statuses(
    request: Request,
    principal: Caller,
    status: Literal["on_track", "at_risk", "off_track", "completed", "not_reporting"] | None = None,
    at_risk: bool | None = None,
    plan_id: str | None = Query(default=None, max_length=64),
    strategy_id: str | None = Query(default=None, max_length=64),
    lead_agency: str | None = Query(default=None, max_length=100),
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict:
    return await run_query(request, listing.handle, listing.ListProjectStatuses(
        principal, status, at_risk, plan_id, strategy_id, lead_agency, limit, cursor))
