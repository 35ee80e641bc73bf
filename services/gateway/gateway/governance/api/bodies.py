"""``/api/v1/governance/bodies`` and ``/workflows``: read by anyone identified, changed by operators."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Response
from fastapi.responses import JSONResponse

from dgplan_contracts.identity import OPERATOR, require_role
from dgplan_shared.problems import PROBLEM_RESPONSES, not_found
from gateway.governance import admin_bodies, admin_workflows, idempotency, queries, store
from gateway.governance.api.instances import Caller, Cursor, IdempotencyKey, Limit, RuntimeDep, authenticated
from gateway.governance.api.nul import refuse_nul_in_url
from gateway.governance.api.schemas import BodyIn, BodyPatch, MemberIn, MemberPatch
from gateway.governance.definitions import WorkflowDefinition
from gateway.governance.views import body_etag, body_view, etag, member_view

router = APIRouter(
    prefix="/api/v1/governance", tags=["governance"], responses=PROBLEM_RESPONSES,
    dependencies=[Depends(refuse_nul_in_url)],
)
IfMatch = Annotated[str | None, Header(alias="If-Match")]


@router.get("/bodies", summary="Bodies with their members and decision rules")
async def list_bodies(principal: Caller, runtime: RuntimeDep, limit: Limit = 50, cursor: Cursor = None) -> dict:
    authenticated(principal)
    async with runtime.db.session() as session:
        return await queries.bodies(session, limit, cursor)


@router.get("/bodies/{code}", summary="One body (with ETag)")
async def get_body(code: str, principal: Caller, runtime: RuntimeDep, response: Response) -> dict:
    authenticated(principal)
    async with runtime.db.session() as session:
        body = await store.get_body(session, code)
        members = await queries.members_of(session, [code])
    response.headers["ETag"] = body_etag(body, members.get(code, []))
    return body_view(body, members.get(code, []))


@router.post("/bodies", status_code=201, summary="Create a body (operator)")
async def create_body(
    body: BodyIn, principal: Caller, runtime: RuntimeDep, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    require_role(principal, OPERATOR)
    key = idempotency.require_key(idempotency_key)
    request = {**body.model_dump(mode="json"), "rule": body.rule.to_json()}
    status, payload = await admin_bodies.create_body(runtime, principal, key, request)
    return JSONResponse(payload, status_code=status)


@router.patch("/bodies/{code}", summary="Change a body (operator, If-Match required)")
async def patch_body(
    code: str, body: BodyPatch, principal: Caller, runtime: RuntimeDep, response: Response, if_match: IfMatch = None
) -> dict:
    require_role(principal, OPERATOR)
    changes: dict[str, Any] = body.model_dump(mode="json", exclude_unset=True)
    if body.rule is not None:
        changes["rule"] = body.rule.to_json()
    view, tag = await admin_bodies.update_body(runtime, principal, code, if_match, changes)
    response.headers["ETag"] = tag
    return view


@router.get("/bodies/{code}/members/{subject}", summary="One membership (with ETag)")
async def get_member(code: str, subject: str, principal: Caller, runtime: RuntimeDep, response: Response) -> dict:
    authenticated(principal)
    async with runtime.db.session() as session:
        members = (await queries.members_of(session, [code])).get(code, [])
    member = next((m for m in members if m["subject"] == subject), None)
    if member is None:
        raise not_found("member", f"{subject} of {code}")
    response.headers["ETag"] = etag("member", f"{code}/{subject}", member["version"])
    return member_view(member)


@router.post("/bodies/{code}/members", status_code=201, summary="Add a member (operator)")
async def add_member(
    code: str, body: MemberIn, principal: Caller, runtime: RuntimeDep, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    require_role(principal, OPERATOR)
    key = idempotency.require_key(idempotency_key)
    status, payload = await admin_bodies.add_member(runtime, principal, code, key, body.model_dump(mode="json"))
    return JSONResponse(payload, status_code=status)


@router.patch("/bodies/{code}/members/{subject}", summary="Change a member's role or deactivate (operator, If-Match)")
async def patch_member(
    code: str, subject: str, body: MemberPatch, principal: Caller, runtime: RuntimeDep, response: Response,
    if_match: IfMatch = None,
) -> dict:
    require_role(principal, OPERATOR)
    view, tag = await admin_bodies.update_member(
        runtime, principal, code, subject, if_match, body.model_dump(mode="json", exclude_unset=True)
    )
    response.headers["ETag"] = tag
    return view


@router.get("/workflows", summary="Workflow definitions, every version")
async def list_workflows(principal: Caller, runtime: RuntimeDep) -> dict:
    authenticated(principal)
    async with runtime.db.session() as session:
        return await queries.workflows(session)


@router.get("/workflows/schema", summary="The JSON Schema every workflow definition version must satisfy")
async def workflow_schema(principal: Caller) -> dict:
    authenticated(principal)
    return WorkflowDefinition.model_json_schema()


@router.post("/workflows/{key}/versions", status_code=201, summary="Add a definition version (operator)")
async def add_workflow_version(
    key: str,
    principal: Caller,
    runtime: RuntimeDep,
    document: Annotated[dict[str, Any], Body(description="a workflow definition (see WorkflowDefinition)")],
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    require_role(principal, OPERATOR)
    idem = idempotency.require_key(idempotency_key)
    status, payload = await admin_workflows.add_version(runtime, principal, key, idem, document)
    return JSONResponse(payload, status_code=status)
