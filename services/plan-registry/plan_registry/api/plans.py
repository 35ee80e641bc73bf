"""Plans: create, read, update, list; completeness; whole-plan JSON and open-data export; import."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from dgplan_shared.commands import run_command
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.url_guards import refuse_bad_text_in_url

from plan_registry.api.conditional import PRIVATE_REVALIDATE, REVALIDATE, conditional, version_answer
from plan_registry.api.deps import (
    Caller, FiscalYearQuery, IdemKey, IfMatch, Limit, PlanSort, Viewer, etag, kept_reads, read, read_with_etag, viewer_of,
)
from plan_registry.api.responses import CompletenessOut, DiffOut, ImportOut, Page, PlanOut, ok, ok_or_not_modified
from plan_registry.api.schemas import PlanCreate, PlanPatch
from plan_registry.application import compare_versions as compare_versions_case
from plan_registry.application import completeness_report as completeness_report_case
from plan_registry.application import create_plan as create_plan_case
from plan_registry.application import diff_document as diff_document_case
from plan_registry.application import export_plan as export_plan_case
from plan_registry.application import import_plan as import_plan_case
from plan_registry.application import kept_plan_list as kept_plan_list_case
from plan_registry.application import list_plans as list_plans_case
from plan_registry.application import open_data as open_data_case
from plan_registry.application import read_plan as read_plan_case
from plan_registry.application import update_plan as update_plan_case
from plan_registry.application.kept_representations import Representation
from plan_registry.domain.access import is_privileged_reader
from plan_registry.domain.plan_document import PlanDocument

router = APIRouter(prefix="/api/v1/plans", tags=["plans"], responses=PROBLEM_RESPONSES,
                   dependencies=[Depends(refuse_bad_text_in_url)])


@router.post("", status_code=201, responses=ok(PlanOut, 201))
async def create_plan(body: PlanCreate, request: Request, principal: Caller, idempotency_key: IdemKey = None) -> Response:
    payload = body.model_dump(mode="json")
    return await run_command(request, create_plan_case.handle, create_plan_case.CreatePlan(principal, payload), status=201,
                             idempotency_key=idempotency_key, payload=payload, subject=principal.subject,
                             require_key=True, headers=etag)


@router.get("", responses=ok_or_not_modified(Page[PlanOut]), response_model=None)
async def list_plans(
    request: Request, fiscal_year: FiscalYearQuery = None, status: str | None = None,
    q: str | None = None, sort: PlanSort = "code", limit: Limit = 50, cursor: str | None = None,
) -> Response:
    """Filters: fiscal year within the plan's period, status of the latest version, text in code or
    title; ``sort`` by ``code`` or ``start_fy`` (``-`` for descending). With an ETag to revalidate
    (``If-None-Match`` → 304): the list changes when a plan or its versions do."""
    principal = viewer_of(request)
    query = list_plans_case.ListPlans(principal, fiscal_year, status, q, sort, limit, cursor)
    answer = await kept_plan_list_case.handle(query, request.app.state.runtime.uow, kept_reads(request),
                                              request.scope.get("query_string", b""))
    return conditional(request, answer, PRIVATE_REVALIDATE if is_privileged_reader(principal) else REVALIDATE)


def _import_status(response: Response) -> Response:
    # The same document again changes nothing: 200 'unchanged' instead of 201, replays included.
    if orjson.loads(response.body).get("outcome") == "unchanged":
        response.status_code = 200
    return response


@router.post("/import", status_code=201, responses=ok(ImportOut, 201))
async def import_plan(body: PlanDocument, request: Request, principal: Caller, idempotency_key: IdemKey = None) -> Response:
    """Idempotent by content: the same document again answers 200 'unchanged' and changes nothing."""
    return _import_status(await run_command(
        request, import_plan_case.handle, import_plan_case.ImportPlan(principal, body), status=201,
        idempotency_key=idempotency_key, payload=body.model_dump(mode="json"), subject=principal.subject,
        require_key=True,
    ))


@router.get("/{plan_id}", responses=ok(PlanOut))
async def get_plan(plan_id: str, request: Request, principal: Viewer) -> Response:
    return await read_with_etag(request, read_plan_case.handle, read_plan_case.ReadPlan(principal, plan_id))


@router.patch("/{plan_id}", responses=ok(PlanOut))
async def update_plan(plan_id: str, body: PlanPatch, request: Request, principal: Caller, if_match: IfMatch = None) -> Response:
    command = update_plan_case.UpdatePlan(principal, plan_id, body.model_dump(mode="json", exclude_unset=True), if_match)
    return await run_command(request, update_plan_case.handle, command, headers=etag)


@router.get("/{plan_id}/completeness", responses=ok(CompletenessOut), response_model=None)
async def completeness(plan_id: str, request: Request, principal: Viewer, version_id: str | None = None) -> dict:
    """Declared counts (measures, work plans, projects; strategies) against registered ones."""
    return await read(request, completeness_report_case.handle, completeness_report_case.CompletenessReport(principal, plan_id, version_id))


@router.get("/{plan_id}/diff", responses=ok_or_not_modified(DiffOut), response_model=None)
async def diff(
    plan_id: str, request: Request,
    from_version: Annotated[str, Query(alias="from")], to_version: Annotated[str, Query(alias="to")],
) -> Response:
    """Built once and kept when both versions are settled (approved, superseded, returned, rejected);
    public and immutable when both are approved."""
    query = compare_versions_case.CompareVersions(viewer_of(request), plan_id, from_version, to_version)
    answer = await diff_document_case.handle(query, request.app.state.runtime.uow, kept_reads(request))
    return version_answer(request, answer)


@router.get("/{plan_id}/export", responses={304: {"description": "Not Modified: If-None-Match names the current ETag"}})
async def export_plan(plan_id: str, request: Request, principal: Caller) -> Response:
    """The whole plan (every version, observation and used agency) as canonical JSON. It changes
    with every version and observation, so it is built each time; its ETag saves the transfer."""
    body = await read(request, export_plan_case.handle, export_plan_case.ExportPlan(principal, plan_id))
    return conditional(request, Representation.of(body), PRIVATE_REVALIDATE)


@router.get(
    "/{plan_id}/export/open-data",
    responses={200: {"description": "A zipped Frictionless Data Package",
                     "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}},
)
async def export_open_data(plan_id: str, request: Request, principal: Viewer, version_id: str | None = None) -> Response:
    """A Frictionless Data Package: CSV files plus ``datapackage.json``, zipped."""
    package = await read(request, open_data_case.handle, open_data_case.OpenDataPackage(principal, plan_id, version_id))
    return Response(package.content, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{package.filename}"'})
