"""Versions (revise, submit, read) and the nodes of a version."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse, Response

from dgplan_contracts.identity import Principal
from dgplan_contracts.assertion import optional_principal, principal_from_request
from dgplan_shared.problems import PROBLEM_RESPONSES, not_found

from plan_registry import store
from plan_registry.api.deps import (
    FiscalYearQuery, Limit, NodeSort, RoleFilter, refuse_nul, runtime_of, scope, with_etag,
)
from plan_registry.api.responses import NodeOut, Page, VersionOut, ok
from plan_registry.api.schemas import NodeCreate, NodePatch, ReviseIn, RoleIn
from plan_registry.usecases import nodes as node_cases
from plan_registry.usecases import reading, versions
from plan_registry.usecases.access import is_privileged_reader, version_visibility, visible_nodes
from plan_registry.usecases.idempotency import run_idempotent
from plan_registry.usecases.search import NodeFilters, list_nodes

router = APIRouter(prefix="/api/v1/plans/{plan_id}", tags=["versions"], responses=PROBLEM_RESPONSES, dependencies=[Depends(refuse_nul)])

Viewer = Annotated[Principal | None, Depends(optional_principal)]
Caller = Annotated[Principal, Depends(principal_from_request)]
IdemKey = Annotated[str | None, Header(alias="Idempotency-Key")]
IfMatch = Annotated[str | None, Header(alias="If-Match")]


@router.get("/versions", responses=ok(Page[VersionOut]), response_model=None)
async def list_versions(plan_id: str, request: Request, principal: Viewer) -> dict:
    async with runtime_of(request).uow() as uow:
        await reading.plan_view(uow, principal, plan_id)
        rows = await store.list_versions(uow.session, plan_id)
        items = [store.version_dict(r) for r in rows]
        # Version metadata (not content) is visible to anyone who may see unapproved content at all.
        if not is_privileged_reader(principal) and not (principal and principal.agency):
            items = [v for v in items if v["status"] == "approved"]
        return {"items": items, "next_cursor": None}  # a plan has a handful of versions: one page


@router.post("/versions", status_code=201, responses=ok(VersionOut, 201))
async def revise(plan_id: str, body: ReviseIn, request: Request, principal: Caller, idempotency_key: IdemKey = None) -> JSONResponse:
    """A new draft version copied from the latest (or the given) version."""
    payload = body.model_dump(mode="json")

    async def action(uow):  # type: ignore[no-untyped-def]
        return 201, await versions.revise(uow, principal, plan_id, body.based_on_version_id)

    status, result = await run_idempotent(runtime_of(request), scope(principal, request), idempotency_key, payload, action)
    return with_etag(result, status)


@router.get("/versions/{version_id}", responses=ok(VersionOut))
async def get_version(plan_id: str, version_id: str, request: Request, principal: Viewer) -> JSONResponse:
    async with runtime_of(request).uow() as uow:
        version = await reading.version_for_read(uow, principal, plan_id, version_id)
        return with_etag(store.version_dict(version))


@router.post("/versions/{version_id}/submit", responses=ok(VersionOut))
async def submit(plan_id: str, version_id: str, request: Request, principal: Caller) -> JSONResponse:
    """Secretariat: freeze the draft and hand it to governance (plan.version-submitted)."""
    async with runtime_of(request).uow() as uow:
        result = await versions.submit(uow, principal, plan_id, version_id)
        await uow.commit()
    return with_etag(result)


@router.get("/versions/{version_id}/nodes", responses=ok(Page[NodeOut]), response_model=None)
async def nodes_of_version(
    plan_id: str, version_id: str, request: Request, principal: Viewer,
    node_type: str | None = None, strategy: str | None = None, agency: str | None = None, role: RoleFilter = None,
    focus_area: str | None = None, status: str | None = None, fiscal_year: FiscalYearQuery = None, q: str | None = None,
    sort: NodeSort = "code", limit: Limit = 100, cursor: str | None = None,
) -> dict:
    async with runtime_of(request).uow() as uow:
        version = await reading.version_for_read(uow, principal, plan_id, version_id)
        only = principal.agency if principal and version_visibility(principal, version.status) == "own" else None
        filters = NodeFilters(node_type, strategy, agency, role, focus_area, status, fiscal_year, q, only)
        return await list_nodes(uow.session, [version.id], filters, sort, limit, cursor)


@router.post("/versions/{version_id}/nodes", status_code=201, responses=ok(NodeOut, 201))
async def create_node(
    plan_id: str, version_id: str, body: NodeCreate, request: Request, principal: Caller, idempotency_key: IdemKey = None
) -> JSONResponse:
    payload = body.model_dump(mode="json")

    async def action(uow):  # type: ignore[no-untyped-def]
        return 201, await node_cases.create_node(uow, principal, plan_id, version_id, payload)

    status, result = await run_idempotent(runtime_of(request), scope(principal, request), idempotency_key, payload, action)
    return with_etag(result, status)


@router.get("/versions/{version_id}/nodes/{node_id}", responses=ok(NodeOut))
async def get_node(plan_id: str, version_id: str, node_id: str, request: Request, principal: Viewer) -> JSONResponse:
    async with runtime_of(request).uow() as uow:
        version = await reading.version_for_read(uow, principal, plan_id, version_id)
        node = await store.load_node(uow.session, version.id, node_id)
        if not visible_nodes(principal, version.status, [node]):
            raise not_found("node", node_id)
        return with_etag(node)


@router.patch("/versions/{version_id}/nodes/{node_id}", responses=ok(NodeOut))
async def update_node(
    plan_id: str, version_id: str, node_id: str, body: NodePatch, request: Request, principal: Caller, if_match: IfMatch = None
) -> JSONResponse:
    async with runtime_of(request).uow() as uow:
        result = await node_cases.update_node(
            uow, principal, plan_id, version_id, node_id, body.model_dump(mode="json", exclude_unset=True), if_match
        )
        await uow.commit()
    return with_etag(result)


@router.delete("/versions/{version_id}/nodes/{node_id}", status_code=204)
async def delete_node(plan_id: str, version_id: str, node_id: str, request: Request, principal: Caller, if_match: IfMatch = None) -> Response:
    async with runtime_of(request).uow() as uow:
        await node_cases.delete_node(uow, principal, plan_id, version_id, node_id, if_match)
        await uow.commit()
    return Response(status_code=204)


@router.post("/versions/{version_id}/nodes/{node_id}/roles", status_code=201, responses=ok(NodeOut, 201))
async def assign_role(
    plan_id: str, version_id: str, node_id: str, body: RoleIn, request: Request, principal: Caller, idempotency_key: IdemKey = None
) -> JSONResponse:
    """Give an agency a typed role on a node (agency.role-assigned)."""
    payload = body.model_dump(mode="json")

    async def action(uow):  # type: ignore[no-untyped-def]
        return 201, await node_cases.assign_role(uow, principal, plan_id, version_id, node_id, payload["agency"], payload["role"])

    status, result = await run_idempotent(runtime_of(request), scope(principal, request), idempotency_key, payload, action)
    return with_etag(result, status)
