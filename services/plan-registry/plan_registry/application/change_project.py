"""Change a project wherever it is: in its plan's latest version, which must be a draft."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found
from dgplan_shared.web.etags import content_etag

from plan_registry.application.read_project import project_view
from plan_registry.application.repositories import repositories
from plan_registry.application.update_node import UpdateNode, apply_patch


@dataclass(frozen=True)
class ChangeProject:
    principal: Principal
    project_id: str
    patch: dict[str, Any]
    if_match: str | None


async def handle(command: ChangeProject, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    located = await repos.nodes.project_location(command.project_id, "latest")
    if located is None:
        raise not_found("project", command.project_id)
    plan_id, version_id = located
    # The ETag the caller holds is that of the project as GET /projects/{id} shows it to them.
    current = await project_view(repos, command.principal, command.project_id)
    change = UpdateNode(command.principal, plan_id, version_id, command.project_id, command.patch, command.if_match)
    node = await apply_patch(change, repos, uow, current_etag=content_etag(current))
    return {**node, "plan_id": plan_id, "version_id": version_id}
