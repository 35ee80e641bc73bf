"""``/api/v1/governance/workflows``: definitions as versioned data, read by anyone identified,
extended by operators."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response

from dgplan_contracts.identity import OPERATOR, require_role
from dgplan_shared.commands import run_command
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.guards import refuse_bad_text
from dgplan_shared.web.url_guards import refuse_bad_text_in_url
from gateway.governance.api.deps import Caller, IdempotencyKey, RuntimeDep, authenticated, request_digest
from gateway.governance.api.views import iso
from gateway.governance.application import add_workflow_version as adding
from gateway.governance.application import queries
from gateway.governance.domain.definitions import WorkflowDefinition

router = APIRouter(
    prefix="/api/v1/governance", tags=["governance"], responses=PROBLEM_RESPONSES,
    dependencies=[Depends(refuse_bad_text_in_url)],
)


@router.get("/workflows", summary="Workflow definitions, every version")
async def list_workflows(principal: Caller, runtime: RuntimeDep) -> dict:
    authenticated(principal)
    async with runtime.db.session() as session:
        rows = await queries.workflows(session)
    items = [
        {"key": r["key"], "version": r["version"], "created_by": r["created_by"], "created_at": iso(r["created_at"]),
         "definition": r["definition"]}
        for r in rows.items
    ]
    return {"items": items, "next_cursor": rows.next_cursor}


@router.get("/workflows/schema", summary="The JSON Schema every workflow definition version must satisfy")
async def workflow_schema(principal: Caller) -> dict:
    authenticated(principal)
    return WorkflowDefinition.model_json_schema()


@router.post("/workflows/{key}/versions", status_code=201, summary="Add a definition version (operator)")
async def add_workflow_version(
    key: str,
    principal: Caller,
    request: Request,
    document: Annotated[dict[str, Any], Body(description="a workflow definition (see WorkflowDefinition)")],
    idempotency_key: IdempotencyKey = None,
) -> Response:
    require_role(principal, OPERATOR)
    # Before the digest: text that cannot be stored cannot be fingerprinted either.
    refuse_bad_text(document, "definition")
    return await run_command(
        request, adding.handle, adding.AddWorkflowVersion(principal, key, document), status=201,
        idempotency_key=idempotency_key, payload=request_digest(f"workflow-version:{key}", document),
        subject=principal.subject, require_key=True,
    )
