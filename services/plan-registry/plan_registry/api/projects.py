"""Projects across plans: list with filters and text search, register, read, change."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from dgplan_shared.commands import run_command
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.url_guards import refuse_bad_text_in_url

from plan_registry.adapters.node_repository import NodeFilters
from plan_registry.api.deps import (
    Caller, FiscalYearQuery, IdemKey, IfMatch, Limit, NodeSort, RoleFilter, Viewer, etag, read, read_with_etag,
)
from plan_registry.api.responses import NodeOut, Page, ok
from plan_registry.api.schemas import NodePatch, ProjectCreate
from plan_registry.application import change_project as change_project_case
from plan_registry.application import list_projects as list_projects_case
from plan_registry.application import read_project as read_project_case
from plan_registry.application import register_project as register_project_case

router = APIRouter(prefix="/api/v1/projects", tags=["projects"], responses=PROBLEM_RESPONSES,
                   dependencies=[Depends(refuse_bad_text_in_url)])


@router.get("", responses=ok(Page[NodeOut]), response_model=None)
async def list_projects(
    request: Request, principal: Viewer, strategy: str | None = None, agency: str | None = None,
    role: RoleFilter = None, focus_area: str | None = None, status: str | None = None,
    fiscal_year: FiscalYearQuery = None, q: str | None = None, version: Literal["approved", "latest"] | None = None,
    sort: NodeSort = None, limit: Limit = 50, cursor: str | None = None,
) -> dict:
    """``q`` finds a case-insensitive substring of the Thai or English title (or the code), or all of
    its words (pythainlp newmm segmentation) in any order; Thai is compared as normalized (SARA AM
    typed as NIKHAHIT + SARA AA matches). With ``q`` the default order is ``relevance``."""
    filters = NodeFilters("project", strategy, agency, role, focus_area, status, fiscal_year, q)
    query = list_projects_case.ListProjects(principal, filters, version, sort, limit, cursor)
    return await read(request, list_projects_case.handle, query)


@router.post("", status_code=201, responses=ok(NodeOut, 201))
async def register_project(body: ProjectCreate, request: Request, principal: Caller, idempotency_key: IdemKey = None) -> Response:
    """Into the plan's latest version, which must be a draft; an agency must name itself lead."""
    payload = body.model_dump(mode="json")
    fields = {k: v for k, v in payload.items() if k != "plan_id"}
    command = register_project_case.RegisterProject(principal, body.plan_id, fields)
    return await run_command(request, register_project_case.handle, command, status=201,
                             idempotency_key=idempotency_key, payload=payload, subject=principal.subject,
                             require_key=True, headers=etag)


@router.get("/{project_id}", responses=ok(NodeOut))
async def get_project(project_id: str, request: Request, principal: Viewer) -> Response:
    return await read_with_etag(request, read_project_case.handle, read_project_case.ReadProject(principal, project_id))


@router.patch("/{project_id}", responses=ok(NodeOut))
async def change_project(project_id: str, body: NodePatch, request: Request, principal: Caller, if_match: IfMatch = None) -> Response:
    command = change_project_case.ChangeProject(principal, project_id, body.model_dump(mode="json", exclude_unset=True), if_match)
    return await run_command(request, change_project_case.handle, command, headers=etag)
