"""Projects across plans: list with filters and text search, register, read, change."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse

from dgplan_contracts.identity import Principal
from dgplan_contracts.assertion import optional_principal, principal_from_request
from dgplan_shared.problems import PROBLEM_RESPONSES

from plan_registry.api.deps import (
    FiscalYearQuery, Limit, NodeSort, RoleFilter, refuse_nul, runtime_of, scope, with_etag,
)
from plan_registry.api.responses import NodeOut, Page, ok
from plan_registry.api.schemas import NodePatch, ProjectCreate
from plan_registry.usecases import nodes as node_cases
from plan_registry.usecases.projects import current_versions, locate_project, read_project
from plan_registry.usecases.access import is_privileged_reader
from plan_registry.usecases.idempotency import run_idempotent
from plan_registry.usecases.preconditions import check_if_match
from plan_registry.usecases.search import NodeFilters, list_nodes

router = APIRouter(prefix="/api/v1/projects", tags=["projects"], responses=PROBLEM_RESPONSES, dependencies=[Depends(refuse_nul)])

Viewer = Annotated[Principal | None, Depends(optional_principal)]
Caller = Annotated[Principal, Depends(principal_from_request)]
IdemKey = Annotated[str | None, Header(alias="Idempotency-Key")]
IfMatch = Annotated[str | None, Header(alias="If-Match")]


@router.get("", responses=ok(Page[NodeOut]), response_model=None)
async def list_projects(
    request: Request, principal: Viewer, strategy: str | None = None, agency: str | None = None,
    role: RoleFilter = None, focus_area: str | None = None, status: str | None = None,
    fiscal_year: FiscalYearQuery = None, q: str | None = None, version: Literal["approved", "latest"] | None = None,
    sort: NodeSort = "code", limit: Limit = 50, cursor: str | None = None,
) -> dict:
    """``q`` is a case-insensitive substring of the Thai or English title (or the code)."""
    async with runtime_of(request).uow() as uow:
        version_ids = await current_versions(uow, principal, version)
        only = principal.agency if principal and principal.agency and not is_privileged_reader(principal) and version == "latest" else None
        filters = NodeFilters("project", strategy, agency, role, focus_area, status, fiscal_year, q, only)
        return await list_nodes(uow.session, version_ids, filters, sort, limit, cursor)


@router.post("", status_code=201, responses=ok(NodeOut, 201))
async def register_project(body: ProjectCreate, request: Request, principal: Caller, idempotency_key: IdemKey = None) -> JSONResponse:
    """Into the plan's latest version, which must be a draft; an agency must name itself lead."""
    payload = body.model_dump(mode="json")
    fields = {k: v for k, v in payload.items() if k != "plan_id"} | {"node_type": "project"}

    async def action(uow):  # type: ignore[no-untyped-def]
        node = await node_cases.create_node(uow, principal, body.plan_id, None, fields)
        return 201, {**node, "plan_id": body.plan_id}

    status, result = await run_idempotent(runtime_of(request), scope(principal, request), idempotency_key, payload, action)
    return with_etag(result, status)


@router.get("/{project_id}", responses=ok(NodeOut))
async def get_project(project_id: str, request: Request, principal: Viewer) -> JSONResponse:
    async with runtime_of(request).uow() as uow:
        return with_etag(await read_project(uow, principal, project_id))


@router.patch("/{project_id}", responses=ok(NodeOut))
async def change_project(project_id: str, body: NodePatch, request: Request, principal: Caller, if_match: IfMatch = None) -> JSONResponse:
    async with runtime_of(request).uow() as uow:
        plan_id, version_id = await locate_project(uow, project_id)
        current = await read_project(uow, principal, project_id)
        check_if_match(if_match, current)
        node = await node_cases.update_node(
            uow, principal, plan_id, version_id, project_id, body.model_dump(mode="json", exclude_unset=True), "*"
        )
        await uow.commit()
    return with_etag({**node, "plan_id": plan_id, "version_id": version_id})
