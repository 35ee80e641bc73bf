"""/api/v1/monitoring/progress-reports"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import and_, or_, select

from dgplan_contracts.identity import AGENCY, Principal, require_role
from dgplan_contracts.assertion import principal_from_request
from dgplan_shared.problems import PROBLEM_RESPONSES, not_found
from dgplan_shared.service import get_runtime
from monitoring.api.common import (
    OVERSIGHT,
    decode_cursor,
    encode_cursor,
    refuse_nul_characters,
    request_fingerprint,
    require_project_reader,
    rules,
    sees_everything,
    today,
    validate_idempotency_key,
)
from monitoring.api.schemas import ProgressReportIn
from monitoring.db.queries import project_row
from monitoring.db.tables import progress_reports, rm_projects
from monitoring.usecases.idempotent import run_idempotent
from monitoring.usecases.submit_progress_report import render, submit_progress_report

router = APIRouter(prefix="/api/v1/monitoring/progress-reports", tags=["progress reports"],
                   responses=PROBLEM_RESPONSES,
                   dependencies=[Depends(refuse_nul_characters)])

Caller = Annotated[Principal, Depends(principal_from_request)]


@router.post("", status_code=201, summary="Submit a quarterly progress report or a correction (lead agency)")
async def post_progress_report(
    body: ProgressReportIn,
    request: Request,
    principal: Caller,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> JSONResponse:
    key = validate_idempotency_key(idempotency_key)
    require_role(principal, AGENCY)
    runtime = get_runtime(request)
    as_of, thresholds = today(request), rules(request)

    async def operation(uow):  # type: ignore[no-untyped-def]
        return 201, await submit_progress_report(uow, principal, body, as_of, thresholds)

    status, view = await run_idempotent(
        runtime.uow, "progress-reports.submit", principal.subject, key,
        request_fingerprint(body.model_dump(mode="json")), operation,
    )
    return JSONResponse(view, status_code=status, headers={"Location": f"{router.prefix}/{view['report_id']}"})


@router.get("", summary="List progress reports (every revision; latest_only for the current ones)")
async def list_progress_reports(
    request: Request,
    principal: Caller,
    project_id: str | None = Query(default=None, max_length=64),
    fiscal_year: int | None = Query(default=None, ge=2400, le=2800),
    quarter: int | None = Query(default=None, ge=1, le=4),
    agency: str | None = Query(default=None, max_length=100),
    latest_only: bool = False,
    sort: Literal["period", "-period"] = "period",
    limit: int = Query(default=50, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
) -> dict:
    require_role(principal, AGENCY, *OVERSIGHT)
    after = decode_cursor(cursor, (int, int, str, int, str))
    r = progress_reports.c
    query = select(progress_reports)
    if project_id:
        query = query.where(r.project_id == project_id)
    if fiscal_year:
        query = query.where(r.fiscal_year == fiscal_year)
    if quarter:
        query = query.where(r.quarter == quarter)
    if agency:
        query = query.where(r.agency == agency)
    if not sees_everything(principal):
        # An agency sees the reports of projects it takes part in (lead agency reports them).
        mine = select(rm_projects.c.project_id, rm_projects.c.lead_agency, rm_projects.c.agencies)
        async with get_runtime(request).db.session() as session:
            visible = [
                row.project_id for row in (await session.execute(mine))
                if principal.agency and (row.lead_agency == principal.agency
                                         or any(a.get("agency") == principal.agency for a in row.agencies or []))
            ]
        query = query.where(r.project_id.in_(visible or [""]))
    key_cols = (r.fiscal_year, r.quarter, r.project_id, r.revision, r.report_id)
    descending = sort.startswith("-")
    if after is not None:
        fy, q, pid, rev, rid = after
        comparisons = []
        values = (fy, q, pid, rev, rid)
        for i, column in enumerate(key_cols):
            prefix = [key_cols[j] == values[j] for j in range(i)]
            comparisons.append(and_(*prefix, column < values[i] if descending else column > values[i]))
        query = query.where(or_(*comparisons))
    query = query.order_by(*[c.desc() if descending else c for c in key_cols])
    if not latest_only:
        query = query.limit(limit + 1)
    async with get_runtime(request).db.session() as session:
        rows = [dict(x) for x in (await session.execute(query)).mappings()]
    if latest_only:
        newest: dict[tuple, int] = {}
        for row in rows:
            slot = (row["project_id"], row["fiscal_year"], row["quarter"])
            newest[slot] = max(newest.get(slot, 0), row["revision"])
        rows = [x for x in rows if x["revision"] == newest[(x["project_id"], x["fiscal_year"], x["quarter"])]]
    page = rows[:limit]
    last = page[-1] if page else None
    return {
        "items": [render(x) for x in page],
        "next_cursor": encode_cursor([last["fiscal_year"], last["quarter"], last["project_id"], last["revision"],
                                      last["report_id"]]) if len(rows) > limit and last else None,
    }


@router.get("/{report_id}", summary="Read one revision of a progress report")
async def get_progress_report(report_id: str, request: Request, principal: Caller) -> dict:
    async with get_runtime(request).db.session() as session:
        row = (await session.execute(
            select(progress_reports).where(progress_reports.c.report_id == report_id))).mappings().first()
        if row is None:
            raise not_found("progress report", report_id)
        project = await project_row(session, row["project_id"]) or {"project_id": row["project_id"]}
    require_project_reader(principal, project)
    return render(dict(row))
