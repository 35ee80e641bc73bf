"""Plans: create, read, update, list; completeness; whole-plan JSON and open-data export; import."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response

from dgplan_contracts.identity import Principal, require_role
from dgplan_contracts.assertion import optional_principal, principal_from_request
from dgplan_shared.problems import PROBLEM_RESPONSES

from plan_registry.api.deps import FiscalYearQuery, Limit, PlanSort, refuse_nul, runtime_of, scope, with_etag
from plan_registry.api.responses import DiffOut, CompletenessOut, ImportOut, Page, PlanOut, ok
from plan_registry.api.schemas import PlanCreate, PlanPatch
from plan_registry.usecases import plans as plan_cases
from plan_registry.usecases import reading
from plan_registry.usecases.access import EDITORS
from plan_registry.usecases.idempotency import run_idempotent
from plan_registry.usecases.open_data import open_data_zip
from plan_registry.usecases.transfer import export_bytes, import_document
from plan_registry.usecases.transfer_schema import PlanDocument

router = APIRouter(prefix="/api/v1/plans", tags=["plans"], responses=PROBLEM_RESPONSES, dependencies=[Depends(refuse_nul)])

Viewer = Annotated[Principal | None, Depends(optional_principal)]
Caller = Annotated[Principal, Depends(principal_from_request)]
IdemKey = Annotated[str | None, Header(alias="Idempotency-Key")]
IfMatch = Annotated[str | None, Header(alias="If-Match")]


@router.post("", status_code=201, responses=ok(PlanOut, 201))
async def create_plan(body: PlanCreate, request: Request, principal: Caller, idempotency_key: IdemKey = None) -> JSONResponse:
    payload = body.model_dump(mode="json")

    async def action(uow):  # type: ignore[no-untyped-def]
        return 201, await plan_cases.create_plan(uow, principal, payload)

    status, result = await run_idempotent(runtime_of(request), scope(principal, request), idempotency_key, payload, action)
    return with_etag(result, status)


@router.get("", responses=ok(Page[PlanOut]), response_model=None)
async def list_plans(
    request: Request, principal: Viewer, fiscal_year: FiscalYearQuery = None, status: str | None = None,
    q: str | None = None, sort: PlanSort = "code", limit: Limit = 50, cursor: str | None = None,
) -> dict:
    """Filters: fiscal year within the plan's period, status of the latest version, text in code or
    title; ``sort`` by ``code`` or ``start_fy`` (``-`` for descending)."""
    async with runtime_of(request).uow() as uow:
        return await reading.list_plans(
            uow, principal, fiscal_year=fiscal_year, status=status, q=q, limit=limit, cursor=cursor, sort=sort
        )


@router.post("/import", status_code=201, responses=ok(ImportOut, 201))
async def import_plan(body: PlanDocument, request: Request, principal: Caller, idempotency_key: IdemKey = None) -> JSONResponse:
    """Idempotent by content: the same document again answers 200 'unchanged' and changes nothing."""
    require_role(principal, *EDITORS)
    payload = body.model_dump(mode="json")

    async def action(uow):  # type: ignore[no-untyped-def]
        outcome, plan = await import_document(uow, body)
        return (201 if outcome == "created" else 200), {"outcome": outcome, "plan": plan}

    status, result = await run_idempotent(runtime_of(request), scope(principal, request), idempotency_key, payload, action)
    return JSONResponse(result, status_code=status)


@router.get("/{plan_id}", responses=ok(PlanOut))
async def get_plan(plan_id: str, request: Request, principal: Viewer) -> JSONResponse:
    async with runtime_of(request).uow() as uow:
        return with_etag(await reading.plan_view(uow, principal, plan_id))


@router.patch("/{plan_id}", responses=ok(PlanOut))
async def update_plan(plan_id: str, body: PlanPatch, request: Request, principal: Caller, if_match: IfMatch = None) -> JSONResponse:
    async with runtime_of(request).uow() as uow:
        result = await plan_cases.update_plan(uow, principal, plan_id, body.model_dump(mode="json", exclude_unset=True), if_match)
        await uow.commit()
    return with_etag(result)


@router.get("/{plan_id}/completeness", responses=ok(CompletenessOut), response_model=None)
async def completeness(plan_id: str, request: Request, principal: Viewer, version_id: str | None = None) -> dict:
    """Declared counts (measures, work plans, projects; strategies) against registered ones."""
    async with runtime_of(request).uow() as uow:
        return await reading.completeness_report(uow, principal, plan_id, version_id)


@router.get("/{plan_id}/diff", responses=ok(DiffOut), response_model=None)
async def diff(
    plan_id: str, request: Request, principal: Viewer,
    from_version: Annotated[str, Query(alias="from")], to_version: Annotated[str, Query(alias="to")],
) -> dict:
    async with runtime_of(request).uow() as uow:
        return await reading.diff(uow, principal, plan_id, from_version, to_version)


@router.get("/{plan_id}/export")
async def export_plan(plan_id: str, request: Request, principal: Caller) -> Response:
    """The whole plan (every version, observation and used agency) as canonical JSON."""
    require_role(principal, *EDITORS)
    async with runtime_of(request).uow() as uow:
        return Response(await export_bytes(uow, plan_id), media_type="application/json")


@router.get(
    "/{plan_id}/export/open-data",
    responses={200: {"description": "A zipped Frictionless Data Package",
                     "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}},
)
async def export_open_data(plan_id: str, request: Request, principal: Viewer, version_id: str | None = None) -> Response:
    """A Frictionless Data Package: CSV files plus ``datapackage.json``, zipped."""
    async with runtime_of(request).uow() as uow:
        content, name = await open_data_zip(uow, principal, plan_id, version_id)
    return Response(content, media_type="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'})
