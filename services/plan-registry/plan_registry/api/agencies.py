"""Agencies (public reads; the secretariat and operators register and edit them)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from dgplan_shared.commands import run_command
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.url_guards import refuse_bad_text_in_url

from plan_registry.api.deps import Caller, IdemKey, IfMatch, Limit, etag, read, read_with_etag
from plan_registry.api.responses import AgencyOut, Page, ok
from plan_registry.api.schemas import AgencyCreate, AgencyPatch
from plan_registry.application import create_agency as create_agency_case
from plan_registry.application import list_agencies as list_agencies_case
from plan_registry.application import read_agency as read_agency_case
from plan_registry.application import update_agency as update_agency_case

router = APIRouter(prefix="/api/v1/agencies", tags=["agencies"], responses=PROBLEM_RESPONSES,
                   dependencies=[Depends(refuse_bad_text_in_url)])


@router.get("", responses=ok(Page[AgencyOut]), response_model=None)
async def list_agencies(request: Request, q: str | None = None, parent_code: str | None = None, limit: Limit = 100,
                        cursor: str | None = None) -> dict:
    return await read(request, list_agencies_case.handle, list_agencies_case.ListAgencies(q, parent_code, limit, cursor))


@router.post("", status_code=201, responses=ok(AgencyOut, 201))
async def create_agency(body: AgencyCreate, request: Request, principal: Caller, idempotency_key: IdemKey = None) -> Response:
    payload = body.model_dump(mode="json")
    return await run_command(request, create_agency_case.handle, create_agency_case.CreateAgency(principal, payload),
                             status=201, idempotency_key=idempotency_key, payload=payload, subject=principal.subject,
                             require_key=True, headers=etag)


@router.get("/{code}", responses=ok(AgencyOut))
async def get_agency(code: str, request: Request) -> Response:
    return await read_with_etag(request, read_agency_case.handle, read_agency_case.ReadAgency(code))


@router.patch("/{code}", responses=ok(AgencyOut))
async def update_agency(code: str, body: AgencyPatch, request: Request, principal: Caller, if_match: IfMatch = None) -> Response:
    command = update_agency_case.UpdateAgency(principal, code, body.model_dump(mode="json", exclude_unset=True), if_match)
    return await run_command(request, update_agency_case.handle, command, headers=etag)
