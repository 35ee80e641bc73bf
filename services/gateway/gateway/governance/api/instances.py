"""``/api/v1/governance``: inbox, instances, histories, votes and decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response
from fastapi.responses import JSONResponse

from dgplan_contracts.identity import ANONYMOUS_SUBJECT, PUBLIC, Principal, unauthenticated
from dgplan_contracts.assertion import principal_from_request
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.service import Runtime, get_runtime
from gateway.governance import decide, idempotency, queries, store
from gateway.governance.api.nul import refuse_nul_in_url
from gateway.governance.api.schemas import DecisionIn, VoteIn
from gateway.audit.chain import canonical, sha256
from gateway.governance.views import instance_view, iso

router = APIRouter(
    prefix="/api/v1/governance", tags=["governance"], responses=PROBLEM_RESPONSES,
    dependencies=[Depends(refuse_nul_in_url)],
)

Caller = Annotated[Principal, Depends(principal_from_request)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
Limit = Annotated[int, Query(ge=1, le=200)]
Cursor = Annotated[str | None, Query(max_length=500)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]
Ident = Annotated[str | None, Query(max_length=64)]


def authenticated(principal: Principal) -> None:
    """Any identified caller (not the anonymous public) may read governance records."""
    if principal.subject == ANONYMOUS_SUBJECT or not principal.roles - {PUBLIC}:
        raise unauthenticated("Governance records are for identified callers.")


@router.get("/inbox", summary="What waits for the caller's bodies, soonest deadline first")
async def inbox(principal: Caller, runtime: RuntimeDep, limit: Limit = 50, cursor: Cursor = None) -> dict:
    authenticated(principal)
    async with runtime.db.session() as session:
        return await queries.inbox(session, principal, limit, cursor)


@router.get("/instances", summary="Workflow instances, oldest first; filter by plan, version, round, workflow, status")
async def list_instances(
    principal: Caller,
    runtime: RuntimeDep,
    plan_id: Ident = None,
    version_id: Ident = None,
    round_id: Ident = None,
    workflow: Ident = None,
    status: Annotated[str | None, Query(pattern="^(active|completed)$")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict:
    authenticated(principal)
    filters = {"plan_id": plan_id, "version_id": version_id, "round_id": round_id, "workflow_key": workflow,
               "status": status}
    async with runtime.db.session() as session:
        return await queries.list_instances(session, filters, limit, cursor)


@router.get("/instances/{instance_id}", summary="One instance with the votes cast at its current stage (ETag)")
async def get_instance(instance_id: str, principal: Caller, runtime: RuntimeDep, response: Response) -> dict:
    authenticated(principal)
    async with runtime.db.session() as session:
        instance = await store.get_instance(session, instance_id)
        votes = await store.votes_for(session, instance_id, instance["stage_entry"])
    view = {
        **instance_view(instance),
        "votes": [
            {"voter": v["voter"], "choice": v["choice"], "reason": v["reason"], "observations": v["observations"],
             "cast_at": iso(v["cast_at"])}
            for v in votes
        ],
    }
    # The tag covers the whole representation: a new vote changes it even though the stage stays.
    response.headers["ETag"] = '"' + sha256(canonical(view))[:32] + '"'
    return view


@router.get("/instances/{instance_id}/history", summary="Everything that happened to one instance, in order")
async def instance_history(
    instance_id: str, principal: Caller, runtime: RuntimeDep, limit: Limit = 100, cursor: Cursor = None
) -> dict:
    authenticated(principal)
    async with runtime.db.session() as session:
        await store.get_instance(session, instance_id)
        return await queries.history(session, {"instance_id": instance_id}, limit, cursor)


@router.get("/history", summary="History of a plan (version) or a screening round across its instances")
async def history(
    principal: Caller,
    runtime: RuntimeDep,
    plan_id: Ident = None,
    version_id: Ident = None,
    round_id: Ident = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> dict:
    authenticated(principal)
    async with runtime.db.session() as session:
        return await queries.history(
            session, {"plan_id": plan_id, "version_id": version_id, "round_id": round_id}, limit, cursor
        )


@router.post("/instances/{instance_id}/votes", status_code=201, summary="A member's vote, with its reason")
async def vote(
    instance_id: str, body: VoteIn, principal: Caller, runtime: RuntimeDep, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    key = idempotency.require_key(idempotency_key)
    status, payload = await decide.cast_vote(runtime, principal, instance_id, key, body.model_dump(mode="json"))
    return JSONResponse(payload, status_code=status)


@router.post(
    "/instances/{instance_id}/decisions",
    status_code=201,
    summary="The body's decision (bodies deciding as one) or the chair/secretary's record of its resolution",
)
async def decision(
    instance_id: str, body: DecisionIn, principal: Caller, runtime: RuntimeDep, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    key = idempotency.require_key(idempotency_key)
    status, payload = await decide.record_decision(runtime, principal, instance_id, key, body.model_dump(mode="json"))
    return JSONResponse(payload, status_code=status)
