"""/api/v1/monitoring/projects: the last announced status of every project (what committees
watch: ``?at_risk=true``)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import and_, func, or_, select

from dgplan_contracts.identity import AGENCY, Principal, require_role
from dgplan_contracts.assertion import principal_from_request
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.service import get_runtime
from monitoring.api.common import (
    OVERSIGHT,
    agency_codes,
    decode_cursor,
    encode_cursor,
    refuse_nul_characters,
    sees_everything,
)
from monitoring.db.tables import project_statuses, rm_projects

router = APIRouter(prefix="/api/v1/monitoring/projects", tags=["evaluation"], responses=PROBLEM_RESPONSES,
                   dependencies=[Depends(refuse_nul_characters)])


@router.get("", summary="Projects with their last announced status (filter at_risk=true for committees)")
async def list_project_statuses(
    request: Request,
    principal: Annotated[Principal, Depends(principal_from_request)],
    status: Literal["on_track", "at_risk", "off_track", "completed", "not_reporting"] | None = None,
    at_risk: bool | None = None,
    plan_id: str | None = Query(default=None, max_length=64),
    strategy_id: str | None = Query(default=None, max_length=64),
    lead_agency: str | None = Query(default=None, max_length=100),
    limit: int = Query(default=50, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
) -> dict:
    require_role(principal, AGENCY, *OVERSIGHT)
    after = decode_cursor(cursor, (str, str))
    p, s = rm_projects.c, project_statuses.c
    code = func.coalesce(p.code, "")  # codes may be missing: keep the order total
    query = select(rm_projects, s.status.label("evaluated_status"), s.at_risk, s.as_of).join(project_statuses, s.project_id == p.project_id)
    for column, value in ((s.status, status), (s.at_risk, at_risk), (p.plan_id, plan_id),
                          (p.strategy_id, strategy_id), (p.lead_agency, lead_agency)):
        if value is not None:
            query = query.where(column == value)
    if after is not None:
        query = query.where(or_(code > after[0], and_(code == after[0], p.project_id > after[1])))
    query = query.order_by(code, p.project_id)
    async with get_runtime(request).db.session() as session:
        rows = [dict(r) for r in (await session.execute(query)).mappings()]
    if not sees_everything(principal):
        # An agency sees the projects it takes part in (a plan has tens of projects: filter here).
        rows = [r for r in rows if principal.agency in agency_codes(r)]
    page = rows[:limit]
    return {
        "items": [{
            "project_id": r["project_id"], "code": r["code"],
            "title": {"th": r["title_th"], "en": r["title_en"]},
            "plan_id": r["plan_id"], "strategy_id": r["strategy_id"], "lead_agency": r["lead_agency"],
            "registry_status": r["status"],
            "status": r["evaluated_status"], "at_risk": r["at_risk"], "as_of": r["as_of"],
        } for r in page],
        "next_cursor": encode_cursor([page[-1]["code"] or "", page[-1]["project_id"]]) if len(rows) > limit else None,
    }
