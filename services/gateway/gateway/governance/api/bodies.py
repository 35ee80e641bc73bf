"""``/api/v1/governance/bodies``: read by anyone identified, changed by operators."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from dgplan_contracts.identity import OPERATOR, require_role
from dgplan_shared.commands import run_command
from dgplan_shared.errors import not_found
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.pagination import Cursor, Limit
from dgplan_shared.web.url_guards import refuse_bad_text_in_url
from gateway.governance.api.deps import Caller, IdempotencyKey, IfMatch, RuntimeDep, authenticated, request_digest
from gateway.governance.api.schemas import BodyIn, BodyPatch, MemberIn, MemberPatch
from gateway.governance.api.views import body_view, member_view
from gateway.governance.application import add_member as adding
from gateway.governance.application import change_body as changing_body
from gateway.governance.application import change_member as changing_member
from gateway.governance.application import create_body as creating
from gateway.governance.application import queries
from gateway.governance.application.etags import body_etag, body_row_etag, member_etag

router = APIRouter(
    prefix="/api/v1/governance", tags=["governance"], responses=PROBLEM_RESPONSES,
    dependencies=[Depends(refuse_bad_text_in_url)],
)


def _body_tag(view: dict[str, Any]) -> dict[str, str]:
    members = ((m["subject"], m["revision"]) for m in view["members"])
    return {"ETag": body_etag(view["code"], view["revision"], members)}


def _member_tag(view: dict[str, Any]) -> dict[str, str]:
    return {"ETag": member_etag(view["body"], view["subject"], view["revision"])}


@router.get("/bodies", summary="Bodies with their members and decision rules")
async def list_bodies(principal: Caller, runtime: RuntimeDep, limit: Limit = 50, cursor: Cursor = None) -> dict:
    authenticated(principal)
    async with runtime.db.session() as session:
        rows = await queries.bodies(session, limit, cursor)
    return {"items": [body_view(b, members) for b, members in rows.items], "next_cursor": rows.next_cursor}


@router.get("/bodies/{code}", summary="One body (with ETag)")
async def get_body(code: str, principal: Caller, runtime: RuntimeDep, response: Response) -> dict:
    authenticated(principal)
    async with runtime.db.session() as session:
        body, members = await queries.body(session, code)
    response.headers["ETag"] = body_row_etag(body, members)
    return body_view(body, members)


@router.post("/bodies", status_code=201, summary="Create a body (operator)")
async def create_body(
    body: BodyIn, principal: Caller, request: Request, idempotency_key: IdempotencyKey = None
) -> Response:
    require_role(principal, OPERATOR)
    sent = {**body.model_dump(mode="json"), "rule": body.rule.to_json()}
    command = creating.CreateBody(
        principal, body.code, body.name.th, body.name.en, body.kind, body.parent_code, sent["rule"]
    )
    return await run_command(
        request, creating.handle, command, status=201, present=lambda row: body_view(row, []),
        idempotency_key=idempotency_key, payload=request_digest("create-body", sent), subject=principal.subject,
        require_key=True,
    )


@router.patch("/bodies/{code}", summary="Change a body (operator, If-Match required)")
async def patch_body(
    code: str, body: BodyPatch, principal: Caller, request: Request, if_match: IfMatch = None
) -> Response:
    require_role(principal, OPERATOR)
    changes: dict[str, Any] = body.model_dump(mode="json", exclude_unset=True)
    if body.rule is not None:
        changes["rule"] = body.rule.to_json()
    return await run_command(
        request, changing_body.handle, changing_body.ChangeBody(principal, code, if_match, changes),
        present=lambda changed: body_view(changed.body, changed.members), headers=_body_tag,
    )


@router.get("/bodies/{code}/members/{subject}", summary="One membership (with ETag)")
async def get_member(code: str, subject: str, principal: Caller, runtime: RuntimeDep, response: Response) -> dict:
    authenticated(principal)
    async with runtime.db.session() as session:
        member = await queries.member(session, code, subject)
    if member is None:
        raise not_found("member", f"{subject} of {code}")
    response.headers["ETag"] = member_etag(code, subject, member["version"])
    return member_view(member)


@router.post("/bodies/{code}/members", status_code=201, summary="Add a member (operator)")
async def add_member(
    code: str, body: MemberIn, principal: Caller, request: Request, idempotency_key: IdempotencyKey = None
) -> Response:
    require_role(principal, OPERATOR)
    sent = body.model_dump(mode="json")
    return await run_command(
        request, adding.handle, adding.AddMember(principal, code, body.subject, body.role, body.name), status=201,
        present=member_view, idempotency_key=idempotency_key, payload=request_digest(f"add-member:{code}", sent),
        subject=principal.subject, require_key=True,
    )


@router.patch("/bodies/{code}/members/{subject}", summary="Change a member's role or deactivate (operator, If-Match)")
async def patch_member(
    code: str, subject: str, body: MemberPatch, principal: Caller, request: Request, if_match: IfMatch = None
) -> Response:
    require_role(principal, OPERATOR)
    changes = body.model_dump(mode="json", exclude_unset=True)
    command = changing_member.ChangeMember(principal, code, subject, if_match, changes)
    return await run_command(request, changing_member.handle, command, present=member_view, headers=_member_tag)
