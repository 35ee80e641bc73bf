"""Agencies (public reads; the secretariat and operators register and edit them)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy import func, or_, select

from dgplan_contracts.identity import Principal
from dgplan_contracts.assertion import principal_from_request
from dgplan_shared.problems import PROBLEM_RESPONSES, invalid

from plan_registry.api.deps import Limit, refuse_nul, runtime_of, scope, with_etag
from plan_registry.api.responses import AgencyOut, Page, ok
from plan_registry.api.schemas import AgencyCreate, AgencyPatch
from plan_registry.db.tables import agencies
from plan_registry.domain.text import nfc
from plan_registry.usecases import agencies as cases
from plan_registry.usecases.idempotency import run_idempotent
from plan_registry.usecases.preconditions import check_if_match
from plan_registry.usecases.search import decode_cursor, encode_cursor

router = APIRouter(prefix="/api/v1/agencies", tags=["agencies"], responses=PROBLEM_RESPONSES, dependencies=[Depends(refuse_nul)])

Caller = Annotated[Principal, Depends(principal_from_request)]


@router.get("", responses=ok(Page[AgencyOut]), response_model=None)
async def list_agencies(request: Request, q: str | None = None, parent_code: str | None = None, limit: Limit = 100, cursor: str | None = None) -> dict:
    if limit < 1 or limit > 200:
        raise invalid("limit", "between 1 and 200")
    query = select(agencies)
    if q:
        needle = nfc(q).lower()
        query = query.where(or_(*(func.lower(c).contains(needle, autoescape=True) for c in (agencies.c.code, agencies.c.name_th, agencies.c.name_en))))
    if parent_code:
        query = query.where(agencies.c.parent_code == parent_code)
    if cursor:
        query = query.where(agencies.c.code > decode_cursor(cursor)[0])
    async with runtime_of(request).uow() as uow:
        rows = (await uow.session.execute(query.order_by(agencies.c.code).limit(limit + 1))).all()
    items = [cases.agency_dict(r) for r in rows[:limit]]
    return {"items": items, "next_cursor": encode_cursor([items[-1]["code"], "", ""]) if len(rows) > limit else None}


@router.post("", status_code=201, responses=ok(AgencyOut, 201))
async def create_agency(
    body: AgencyCreate, request: Request, principal: Caller, idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None
) -> JSONResponse:
    payload = body.model_dump(mode="json")

    async def action(uow):  # type: ignore[no-untyped-def]
        return 201, await cases.create_agency(uow, principal, payload)

    status, result = await run_idempotent(runtime_of(request), scope(principal, request), idempotency_key, payload, action)
    return with_etag(result, status)


@router.get("/{code}", responses=ok(AgencyOut))
async def get_agency(code: str, request: Request) -> JSONResponse:
    async with runtime_of(request).uow() as uow:
        return with_etag(await cases.get_agency(uow, code))


@router.patch("/{code}", responses=ok(AgencyOut))
async def update_agency(
    code: str, body: AgencyPatch, request: Request, principal: Caller, if_match: Annotated[str | None, Header(alias="If-Match")] = None
) -> JSONResponse:
    async with runtime_of(request).uow() as uow:
        cases.require_editor(principal)
        check_if_match(if_match, await cases.get_agency(uow, code))
        result = await cases.update_agency(uow, principal, code, body.model_dump(mode="json", exclude_unset=True))
        await uow.commit()
    return with_etag(result)
