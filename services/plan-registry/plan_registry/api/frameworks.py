"""External frameworks a plan contributes to (public reads; the secretariat loads and replaces them)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from dgplan_contracts.codes import Code
from dgplan_shared.commands import execute, json_response
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.url_guards import refuse_bad_text_in_url

from plan_registry.api.deps import Caller, IfMatch, etag, read, read_with_etag
from plan_registry.api.responses import FrameworkOut, Page, ok
from plan_registry.application import frameworks as frameworks_case
from plan_registry.domain.framework_document import FrameworkIn

router = APIRouter(prefix="/api/v1/frameworks", tags=["frameworks"], responses=PROBLEM_RESPONSES,
                   dependencies=[Depends(refuse_bad_text_in_url)])


@router.get("", responses=ok(Page[FrameworkOut]), response_model=None)
async def list_frameworks(request: Request) -> dict:
    return await read(request, frameworks_case.list_frameworks, frameworks_case.ListFrameworks())


@router.get("/{code}", responses=ok(FrameworkOut))
async def get_framework(code: Code, request: Request) -> Response:
    return await read_with_etag(request, frameworks_case.read_framework, frameworks_case.ReadFramework(code))


@router.put("/{code}", responses={**ok(FrameworkOut), **ok(FrameworkOut, 201)})
async def put_framework(code: Code, body: FrameworkIn, request: Request, principal: Caller,
                        if_match: IfMatch = None) -> Response:
    """Load a framework, or replace it whole (If-Match: its ETag). 201 when created, 200 when
    replaced; a node a plan version links to cannot be dropped (409)."""
    command = frameworks_case.PutFramework(principal, code, body.model_dump(mode="json"), if_match)
    answer = await execute(request.app.state.runtime.uow, frameworks_case.put_framework, command)
    framework = answer.body["framework"]
    return json_response(framework, 201 if answer.body["created"] else 200, headers=etag(framework))
