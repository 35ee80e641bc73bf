"""/api/v1/monitoring/indicators"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import select

from dgplan_contracts.identity import SECRETARIAT, Principal, require_role
from dgplan_contracts.assertion import principal_from_request
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.service import get_runtime
from monitoring.api.common import (
    check_if_match,
    decode_cursor,
    encode_cursor,
    etag,
    refuse_nul_characters,
    request_fingerprint,
    validate_idempotency_key,
)
from monitoring.api.schemas import IndicatorActualIn, IndicatorIn
from monitoring.db.tables import indicator_actuals, indicator_targets, indicators
from monitoring.usecases.idempotent import run_idempotent
from monitoring.usecases.indicator_actuals import record_indicator_actual
from monitoring.usecases.indicator_actuals import render as render_actual
from monitoring.usecases.indicators import (
    create_indicator,
    indicator_view,
    render,
    replace_indicator,
    visible_indicator_view,
)
from monitoring.usecases.project_visibility import indicator_scope

router = APIRouter(prefix="/api/v1/monitoring/indicators", tags=["indicators"], responses=PROBLEM_RESPONSES,
                   dependencies=[Depends(refuse_nul_characters)])

Caller = Annotated[Principal, Depends(principal_from_request)]


@router.post("", status_code=201, summary="Define an indicator (secretariat)")
async def post_indicator(
    body: IndicatorIn,
    request: Request,
    principal: Caller,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> JSONResponse:
    require_role(principal, SECRETARIAT)
    key = validate_idempotency_key(idempotency_key)
    runtime = get_runtime(request)

    async def operation(uow):  # type: ignore[no-untyped-def]
        return 201, await create_indicator(uow.session, body)

    status, view = await run_idempotent(
        runtime.uow, "indicators.create", principal.subject, key,
        request_fingerprint(body.model_dump(mode="json")), operation,
    )
    return JSONResponse(view, status_code=status, headers={
        "ETag": etag(view["indicator_id"], view["version"]),
        "Location": f"{router.prefix}/{view['indicator_id']}",
    })


@router.get("", summary="List indicators")
async def list_indicators(
    request: Request,
    principal: Caller,
    link_type: Literal["plan_target", "strategy", "project"] | None = None,
    link_id: str | None = Query(default=None, max_length=64),
    measure_type: Literal["number", "percent", "ratio", "qualitative"] | None = None,
    sort: Literal["code", "-code"] = "code",
    limit: int = Query(default=50, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
) -> dict:
    """Indicators of projects the caller may not see (another agency's unapproved proposal) are left out."""
    after = decode_cursor(cursor, (str,))
    query = select(indicators)
    if link_type:
        query = query.where(indicators.c.link_type == link_type)
    if link_id:
        query = query.where(indicators.c.link_id == link_id)
    if measure_type:
        query = query.where(indicators.c.measure_type == measure_type)
    descending = sort.startswith("-")
    if after is not None:
        query = query.where(indicators.c.code < after[0] if descending else indicators.c.code > after[0])
    query = query.order_by(indicators.c.code.desc() if descending else indicators.c.code).limit(limit + 1)
    async with get_runtime(request).db.session() as session:
        visible = (await indicator_scope(session, principal)).indicator_filter(indicators.c.link_type,
                                                                              indicators.c.link_id)
        if visible is not None:
            query = query.where(visible)
        rows = [dict(r) for r in (await session.execute(query)).mappings()]
        page = rows[:limit]
        ids = [r["indicator_id"] for r in page]
        targets: dict[str, list] = {i: [] for i in ids}
        if ids:
            for indicator_id, fy, value in (await session.execute(
                select(indicator_targets).where(indicator_targets.c.indicator_id.in_(ids)))).all():
                targets[indicator_id].append((fy, value))
    return {
        "items": [render(r, targets[r["indicator_id"]]) for r in page],
        "next_cursor": encode_cursor([page[-1]["code"]]) if len(rows) > limit else None,
    }


@router.get("/{indicator_id}", summary="Read an indicator (ETag for updates)")
async def get_indicator(indicator_id: str, request: Request, response: Response, principal: Caller) -> dict:
    async with get_runtime(request).db.session() as session:
        view = await visible_indicator_view(session, principal, indicator_id)
    response.headers["ETag"] = etag(indicator_id, view["version"])
    return view


@router.put("/{indicator_id}", summary="Replace an indicator's definition (secretariat, If-Match required)")
async def put_indicator(
    indicator_id: str,
    body: IndicatorIn,
    request: Request,
    response: Response,
    principal: Caller,
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
) -> dict:
    require_role(principal, SECRETARIAT)
    async with get_runtime(request).uow() as uow:
        current = await indicator_view(uow.session, indicator_id)
        check_if_match(if_match, etag(indicator_id, current["version"]))
        view = await replace_indicator(uow.session, indicator_id, body, current["version"])
        await uow.commit()
    response.headers["ETag"] = etag(indicator_id, view["version"])
    return view


@router.post("/{indicator_id}/actuals", status_code=201,
             summary="Record an actual of a plan-target or strategy indicator (secretariat)")
async def post_indicator_actual(
    indicator_id: str,
    body: IndicatorActualIn,
    request: Request,
    principal: Caller,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> JSONResponse:
    require_role(principal, SECRETARIAT)
    key = validate_idempotency_key(idempotency_key)

    async def operation(uow):  # type: ignore[no-untyped-def]
        return 201, await record_indicator_actual(uow.session, indicator_id, body, principal.subject)

    status, view = await run_idempotent(
        get_runtime(request).uow, f"indicator-actuals.{indicator_id}", principal.subject, key,
        request_fingerprint(body.model_dump(mode="json")), operation,
    )
    return JSONResponse(view, status_code=status)


@router.get("/{indicator_id}/actuals", summary="Every actual of a plan-level indicator, every revision")
async def list_indicator_actuals(
    indicator_id: str,
    request: Request,
    principal: Caller,
    fiscal_year: int | None = Query(default=None, ge=2400, le=2800),
) -> dict:
    async with get_runtime(request).db.session() as session:
        await visible_indicator_view(session, principal, indicator_id)  # 404 for an unknown or hidden one
        query = select(indicator_actuals).where(indicator_actuals.c.indicator_id == indicator_id)
        if fiscal_year is not None:
            query = query.where(indicator_actuals.c.fiscal_year == fiscal_year)
        query = query.order_by(indicator_actuals.c.fiscal_year, indicator_actuals.c.quarter,
                               indicator_actuals.c.revision)
        rows = (await session.execute(query)).mappings().all()
    # One indicator's actuals are a few per year: the whole history is one page.
    return {"items": [render_actual(dict(r)) for r in rows], "next_cursor": None}
