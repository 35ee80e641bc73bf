"""A project: privileged callers and the project's own agencies see the latest version, others
the approved one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found

from plan_registry.application.repositories import Repositories, repositories
from plan_registry.domain.access import is_privileged_reader


@dataclass(frozen=True)
class ReadProject:
    principal: Principal | None
    project_id: str


async def project_view(repos: Repositories, principal: Principal | None, project_id: str) -> dict[str, Any]:
    latest = await repos.nodes.project_location(project_id, "latest")
    if latest is not None:
        node = await repos.nodes.load_node(latest[1], project_id)
        own = principal is not None and any(principal.acts_for_agency(r["agency"]) for r in node["roles"])
        if is_privileged_reader(principal) or own:
            return {**node, "plan_id": latest[0], "version_id": latest[1]}
    approved = await repos.nodes.project_location(project_id, "approved")
    if approved is None:
        raise not_found("project", project_id)
    node = await repos.nodes.load_node(approved[1], project_id)
    return {**node, "plan_id": approved[0], "version_id": approved[1]}


async def handle(query: ReadProject, uow: UnitOfWork) -> dict[str, Any]:
    return await project_view(repositories(uow), query.principal, query.project_id)
