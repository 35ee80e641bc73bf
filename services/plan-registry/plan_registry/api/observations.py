"""Observations on a version or one node, and their lifecycle."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy import and_, exists, or_, select

from dgplan_contracts.identity import Principal
from dgplan_contracts.assertion import optional_principal, principal_from_request
from dgplan_shared.problems import PROBLEM_RESPONSES, invalid, not_found

from plan_registry.api.deps import Limit, refuse_nul, runtime_of, scope, with_etag
from plan_registry.api.responses import ObservationOut, Page, ok
from plan_registry.api.schemas import ObservationCreate, ObservationResolution, ObservationResponse
from plan_registry.db.tables import node_roles, observations, plan_versions
from plan_registry.usecases import observations as cases
from plan_registry.usecases.access import is_privileged_reader, version_visibility
from plan_registry.usecases.idempotency import run_idempotent
from plan_registry.usecases.search import decode_cursor, encode_cursor

router = APIRouter(tags=["observations"], responses=PROBLEM_RESPONSES, dependencies=[Depends(refuse_nul)])

Viewer = Annotated[Principal | None, Depends(optional_principal)]
Caller = Annotated[Principal, Depends(principal_from_request)]
IdemKey = Annotated[str | None, Header(alias="Idempotency-Key")]


@router.post("/api/v1/plans/{plan_id}/versions/{version_id}/observations", status_code=201, responses=ok(ObservationOut, 201))
async def raise_observation(
    plan_id: str, version_id: str, body: ObservationCreate, request: Request, principal: Caller, idempotency_key: IdemKey = None
) -> JSONResponse:
    payload = body.model_dump(mode="json")

    async def action(uow):  # type: ignore[no-untyped-def]
        return 201, await cases.raise_observation(uow, principal, plan_id, version_id, payload)

    status, result = await run_idempotent(runtime_of(request), scope(principal, request), idempotency_key, payload, action)
    return with_etag(result, status)


@router.get("/api/v1/observations", responses=ok(Page[ObservationOut]), response_model=None)
async def list_observations(
    request: Request, principal: Viewer, plan_id: str | None = None, version_id: str | None = None,
    node_id: str | None = None, status: str | None = None, raised_by_body: str | None = None,
    limit: Limit = 50, cursor: str | None = None,
) -> dict:
    if limit < 1 or limit > 200:
        raise invalid("limit", "between 1 and 200")
    query = select(observations, plan_versions.c.status.label("version_status")).join(
        plan_versions, plan_versions.c.id == observations.c.version_id
    )
    for column, value in ((observations.c.plan_id, plan_id), (observations.c.version_id, version_id),
                          (observations.c.node_id, node_id), (observations.c.status, status),
                          (observations.c.raised_by_body, raised_by_body)):
        if value is not None:
            query = query.where(column == value)
    if not is_privileged_reader(principal):
        # The public sees observations on approved versions; an agency also those on nodes it
        # holds a role on — never another agency's.
        visible = plan_versions.c.status == "approved"
        if principal is not None and principal.agency:
            visible = or_(visible, exists(select(node_roles.c.node_id).where(
                node_roles.c.version_id == observations.c.version_id, node_roles.c.node_id == observations.c.node_id,
                node_roles.c.agency_code == principal.agency,
            )))
        query = query.where(visible)
    # Oldest first, as raised; (created_at, id) is the keyset.
    if cursor:
        created, oid, _ = decode_cursor(cursor)
        try:
            when = datetime.fromisoformat(created)
        except ValueError as exc:
            raise invalid("cursor", "not a cursor this API returned") from exc
        query = query.where(or_(observations.c.created_at > when, and_(observations.c.created_at == when, observations.c.id > oid)))
    async with runtime_of(request).uow() as uow:
        rows = (await uow.session.execute(query.order_by(observations.c.created_at, observations.c.id).limit(limit + 1))).all()
    items = [cases.observation_dict(r) for r in rows[:limit]]
    more = len(rows) > limit
    return {"items": items, "next_cursor": encode_cursor([items[-1]["created_at"], items[-1]["id"], ""]) if more else None}


@router.get("/api/v1/observations/{observation_id}", responses=ok(ObservationOut))
async def get_observation(observation_id: str, request: Request, principal: Viewer) -> JSONResponse:
    async with runtime_of(request).uow() as uow:
        obs = await cases.get_observation(uow, observation_id)
        status = await uow.session.scalar(select(plan_versions.c.status).where(plan_versions.c.id == obs["version_id"]))
        if version_visibility(principal, status or "draft") == "own":
            node = await uow.session.scalar(select(node_roles.c.node_id).where(
                node_roles.c.version_id == obs["version_id"], node_roles.c.node_id == obs["node_id"],
                node_roles.c.agency_code == principal.agency,
            ))
            if node is None:
                raise not_found("observation", observation_id)
        return with_etag(obs)


@router.post("/api/v1/observations/{observation_id}/responses", status_code=201, responses=ok(ObservationOut, 201))
async def respond(
    observation_id: str, body: ObservationResponse, request: Request, principal: Caller, idempotency_key: IdemKey = None
) -> JSONResponse:
    """Secretariat answers an observation (open -> responded); a closed one refuses (409)."""
    payload = body.model_dump(mode="json")

    async def action(uow):  # type: ignore[no-untyped-def]
        return 201, await cases.respond(uow, principal, observation_id, payload["text"])

    status, result = await run_idempotent(runtime_of(request), scope(principal, request), idempotency_key, payload, action)
    return with_etag(result, status)


@router.post("/api/v1/observations/{observation_id}/resolution", responses=ok(ObservationOut))
async def resolve(observation_id: str, body: ObservationResolution, request: Request, principal: Caller) -> JSONResponse:
    """The raising body accepts or rejects the response (responded -> accepted | rejected)."""
    async with runtime_of(request).uow() as uow:
        result = await cases.resolve(uow, principal, observation_id, body.decision, body.reason)
        await uow.commit()
    return with_etag(result)


@router.post("/api/v1/observations/{observation_id}/close", responses=ok(ObservationOut))
async def close(observation_id: str, request: Request, principal: Caller) -> JSONResponse:
    async with runtime_of(request).uow() as uow:
        result = await cases.close(uow, principal, observation_id)
        await uow.commit()
    return with_etag(result)
