"""Versions (revise, submit, read) and the nodes of a version."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from dgplan_shared.commands import run_command
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.url_guards import refuse_bad_text_in_url

from plan_registry.adapters.node_repository import NodeFilters
from plan_registry.api.conditional import version_answer
from plan_registry.api.deps import (
    Caller, FiscalYearQuery, IdemKey, IfMatch, Limit, NodeSort, RoleFilter, Viewer, etag, kept_reads, read,
    read_with_etag, viewer_of,
)
from plan_registry.api.responses import NodeOut, Page, VersionDocumentOut, VersionOut, ok, ok_or_not_modified
from plan_registry.api.schemas import NodeCreate, NodePatch, ReviseIn, RoleIn
from plan_registry.application import assign_role as assign_role_case
from plan_registry.application import create_node as create_node_case
from plan_registry.application import list_nodes as list_nodes_case
from plan_registry.application import list_versions as list_versions_case
from plan_registry.application import read_node as read_node_case
from plan_registry.application import read_version as read_version_case
from plan_registry.application import remove_node as remove_node_case
from plan_registry.application import revise_plan as revise_plan_case
from plan_registry.application import submit_version as submit_version_case
from plan_registry.application import update_node as update_node_case
from plan_registry.application import version_document as version_document_case

router = APIRouter(prefix="/api/v1/plans/{plan_id}", tags=["versions"], responses=PROBLEM_RESPONSES,
                   dependencies=[Depends(refuse_bad_text_in_url)])


@router.get("/versions/{version_id}/document", responses=ok_or_not_modified(VersionDocumentOut), response_model=None)
async def version_document(plan_id: str, version_id: str, request: Request) -> Response:
    """The version and every node the caller may see, in one canonical JSON answer. Approved: public,
    ``Cache-Control: public, max-age=31536000, immutable``; settled but not approved (superseded,
    returned, rejected): ``private, no-cache``; a draft or a version under governance: ``private,
    no-store``. A strong ETag always; ``If-None-Match`` answers 304."""
    query = version_document_case.ReadVersionDocument(viewer_of(request), plan_id, version_id)
    answer = await version_document_case.handle(query, request.app.state.runtime.uow, kept_reads(request))
    return version_answer(request, answer)


@router.get("/versions", responses=ok(Page[VersionOut]), response_model=None)
async def list_versions(plan_id: str, request: Request, principal: Viewer) -> dict:
    return await read(request, list_versions_case.handle, list_versions_case.ListVersions(principal, plan_id))


@router.post("/versions", status_code=201, responses=ok(VersionOut, 201))
async def revise(plan_id: str, body: ReviseIn, request: Request, principal: Caller, idempotency_key: IdemKey = None) -> Response:
    """A new draft version copied from the latest (or the given) version."""
    command = revise_plan_case.RevisePlan(principal, plan_id, body.based_on_version_id)
    return await run_command(request, revise_plan_case.handle, command, status=201, idempotency_key=idempotency_key,
                             payload=body.model_dump(mode="json"), subject=principal.subject, require_key=True,
                             headers=etag)


@router.get("/versions/{version_id}", responses=ok(VersionOut))
async def get_version(plan_id: str, version_id: str, request: Request, principal: Viewer) -> Response:
    return await read_with_etag(request, read_version_case.handle, read_version_case.ReadVersion(principal, plan_id, version_id))


@router.post("/versions/{version_id}/submit", responses=ok(VersionOut))
async def submit(plan_id: str, version_id: str, request: Request, principal: Caller) -> Response:
    """Secretariat: freeze the draft and hand it to governance (plan.version-submitted)."""
    command = submit_version_case.SubmitVersion(principal, plan_id, version_id)
    return await run_command(request, submit_version_case.handle, command, headers=etag)


@router.get("/versions/{version_id}/nodes", responses=ok(Page[NodeOut]), response_model=None)
async def nodes_of_version(
    plan_id: str, version_id: str, request: Request, principal: Viewer,
    node_type: str | None = None, strategy: str | None = None, agency: str | None = None, role: RoleFilter = None,
    focus_area: str | None = None, status: str | None = None, fiscal_year: FiscalYearQuery = None, q: str | None = None,
    sort: NodeSort = None, limit: Limit = 100, cursor: str | None = None,
) -> dict:
    filters = NodeFilters(node_type, strategy, agency, role, focus_area, status, fiscal_year, q)
    query = list_nodes_case.ListVersionNodes(principal, plan_id, version_id, filters, sort, limit, cursor)
    return await read(request, list_nodes_case.handle, query)


@router.post("/versions/{version_id}/nodes", status_code=201, responses=ok(NodeOut, 201))
async def create_node(
    plan_id: str, version_id: str, body: NodeCreate, request: Request, principal: Caller, idempotency_key: IdemKey = None
) -> Response:
    payload = body.model_dump(mode="json")
    command = create_node_case.CreateNode(principal, plan_id, version_id, payload)
    return await run_command(request, create_node_case.handle, command, status=201, idempotency_key=idempotency_key,
                             payload=payload, subject=principal.subject, require_key=True, headers=etag)


@router.get("/versions/{version_id}/nodes/{node_id}", responses=ok(NodeOut))
async def get_node(plan_id: str, version_id: str, node_id: str, request: Request, principal: Viewer) -> Response:
    return await read_with_etag(request, read_node_case.handle, read_node_case.ReadNode(principal, plan_id, version_id, node_id))


@router.patch("/versions/{version_id}/nodes/{node_id}", responses=ok(NodeOut))
async def update_node(
    plan_id: str, version_id: str, node_id: str, body: NodePatch, request: Request, principal: Caller, if_match: IfMatch = None
) -> Response:
    patch = body.model_dump(mode="json", exclude_unset=True)
    command = update_node_case.UpdateNode(principal, plan_id, version_id, node_id, patch, if_match)
    return await run_command(request, update_node_case.handle, command, headers=etag)


@router.delete("/versions/{version_id}/nodes/{node_id}", status_code=204)
async def delete_node(plan_id: str, version_id: str, node_id: str, request: Request, principal: Caller, if_match: IfMatch = None) -> Response:
    command = remove_node_case.RemoveNode(principal, plan_id, version_id, node_id, if_match)
    await run_command(request, remove_node_case.handle, command)
    return Response(status_code=204)


@router.post("/versions/{version_id}/nodes/{node_id}/roles", status_code=201, responses=ok(NodeOut, 201))
async def assign_role(
    plan_id: str, version_id: str, node_id: str, body: RoleIn, request: Request, principal: Caller, idempotency_key: IdemKey = None
) -> Response:
    """Give an agency a typed role on a node (agency.role-assigned)."""
    command = assign_role_case.AssignRole(principal, plan_id, version_id, node_id, body.agency, body.role)
    return await run_command(request, assign_role_case.handle, command, status=201, idempotency_key=idempotency_key,
                             payload=body.model_dump(mode="json"), subject=principal.subject, require_key=True,
                             headers=etag)
