"""/api/v1/monitoring/indicators"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from dgplan_contracts.identity import SECRETARIAT, require_role
from dgplan_shared.commands import run_command
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.pagination import Cursor, Limit
from dgplan_shared.web.url_guards import refuse_bad_text_in_url
from monitoring.api.deps import Caller, OptionalFiscalYear, body_payload, run_query
from monitoring.api.schemas import IndicatorActualIn, IndicatorIn
from monitoring.application import create_indicator
from monitoring.application import get_indicator as reading
from monitoring.application import list_indicator_actuals as actuals_listing
from monitoring.application import list_indicators as listing
from monitoring.application import record_indicator_actual, replace_indicator
from monitoring.application.replace_indicator import indicator_etag
from monitoring.domain.indicators import Formula, IndicatorDefinition

router = APIRouter(prefix="/api/v1/monitoring/indicators", tags=["indicators"], responses=PROBLEM_RESPONSES,
                   dependencies=[Depends(refuse_bad_text_in_url)])


def definition_of(body: IndicatorIn) -> IndicatorDefinition:
    return IndicatorDefinition(
        code=body.code, name_th=body.name.th, name_en=body.name.en, unit=body.unit,
        measure_type=body.measure_type, direction=body.direction,
        formula=None if body.formula is None else Formula(body.formula.numerator, body.formula.denominator,
                                                          body.formula.factor),
        baseline=body.baseline, baseline_year=body.baseline_year,
        targets=tuple((t.fiscal_year, t.target) for t in body.targets),
        frequency=body.frequency, source=body.source, link_type=body.link.type, link_id=body.link.id,
    )


def _etag_header(view: dict) -> dict[str, str]:
    return {"ETag": indicator_etag(view["indicator_id"], view["version"])}


@router.post("", status_code=201, summary="Define an indicator (secretariat)")
async def post_indicator(
    body: IndicatorIn,
    request: Request,
    principal: Caller,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Response:
    require_role(principal, SECRETARIAT)  # before the key: a caller who may never do this learns that first
    return await run_command(
        request, create_indicator.handle, create_indicator.CreateIndicator(principal, definition_of(body)),
        status=201, idempotency_key=idempotency_key, payload=body_payload(body), subject=principal.subject,
        require_key=True,
        headers=lambda view: {**_etag_header(view), "Location": f"{router.prefix}/{view['indicator_id']}"},
    )


@router.get("", summary="List indicators")
async def list_indicators(
    request: Request,
    principal: Caller,
    link_type: Literal["plan_target", "strategy", "project"] | None = None,
    link_id: str | None = Query(default=None, max_length=64),
    measure_type: Literal["number", "percent", "ratio", "qualitative"] | None = None,
    sort: Literal["code", "-code"] = "code",
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict:
    """Indicators of projects the caller may not see (another agency's unapproved proposal) are left out."""
    return await run_query(request, listing.handle, listing.ListIndicators(
        principal, link_type, link_id, measure_type, sort.startswith("-"), limit, cursor))


@router.get("/{indicator_id}", summary="Read an indicator (ETag for updates)")
async def get_indicator(indicator_id: str, request: Request, response: Response, principal: Caller) -> dict:
    view = await run_query(request, reading.handle, reading.GetIndicator(principal, indicator_id))
    response.headers.update(_etag_header(view))
    return view


@router.put("/{indicator_id}", response_model=dict, summary="Replace an indicator's definition (secretariat, If-Match required)")
async def put_indicator(
    indicator_id: str,
    body: IndicatorIn,
    request: Request,
    principal: Caller,
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
) -> Response:
    require_role(principal, SECRETARIAT)
    return await run_command(
        request, replace_indicator.handle,
        replace_indicator.ReplaceIndicator(principal, indicator_id, definition_of(body), if_match),
        headers=_etag_header,
    )


@router.post("/{indicator_id}/actuals", status_code=201,
             summary="Record an actual of a plan-target or strategy indicator (secretariat)")
async def post_indicator_actual(
    indicator_id: str,
    body: IndicatorActualIn,
    request: Request,
    principal: Caller,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Response:
    require_role(principal, SECRETARIAT)  # before the key: a caller who may never do this learns that first
    command = record_indicator_actual.RecordIndicatorActual(
        principal, indicator_id, body.fiscal_year, body.quarter, body.value, body.numerator, body.denominator,
        body.note, tuple(e.model_dump(mode="json") for e in body.evidence), body.revises_actual_id,
        body.revision_reason,
    )
    return await run_command(
        request, record_indicator_actual.handle, command, status=201, idempotency_key=idempotency_key,
        payload=body_payload(body), subject=principal.subject, require_key=True,
    )


@router.get("/{indicator_id}/actuals", summary="Every actual of a plan-level indicator, every revision")
async def list_indicator_actuals(
    indicator_id: str,
    request: Request,
    principal: Caller,
    fiscal_year: OptionalFiscalYear = None,
) -> dict:
    return await run_query(request, actuals_listing.handle,
                           actuals_listing.ListIndicatorActuals(principal, indicator_id, fiscal_year))
