"""Projects as agencies see them: registered into, and read from, a plan's current version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dgplan_shared.db.uow import UnitOfWork
from dgplan_contracts.identity import AGENCY, Principal
from dgplan_shared.problems import not_found

from plan_registry import store
from plan_registry.db.tables import nodes, plans
from plan_registry.usecases.access import is_privileged_reader


async def current_versions(uow: UnitOfWork, principal: Principal | None, which: str | None) -> list[str]:
    """Per plan, the version a project list reads: 'approved' (the default for the public and for
    agencies, who see all approved content) or 'latest' (an agency then sees only its own projects)."""
    privileged = is_privileged_reader(principal)
    may_see_latest = privileged or (principal is not None and principal.has(AGENCY))
    which = which or ("latest" if privileged else "approved")
    column = plans.c.latest_version_id if which == "latest" and may_see_latest else plans.c.approved_version_id
    return [v for v in (await uow.session.scalars(select(column))).all() if v]


async def locate_project(uow: UnitOfWork, project_id: str) -> tuple[str, str]:
    """(plan id, latest version id) of the plan whose latest version holds the project."""
    row = (
        await uow.session.execute(
            select(plans.c.id, plans.c.latest_version_id)
            .join(nodes, (nodes.c.version_id == plans.c.latest_version_id))
            .where(nodes.c.node_id == project_id, nodes.c.node_type == "project")
        )
    ).first()
    if row is None:
        raise not_found("project", project_id)
    return row.id, row.latest_version_id


async def approved_location(uow: UnitOfWork, project_id: str) -> tuple[str, str] | None:
    row = (
        await uow.session.execute(
            select(plans.c.id, plans.c.approved_version_id)
            .join(nodes, (nodes.c.version_id == plans.c.approved_version_id))
            .where(nodes.c.node_id == project_id, nodes.c.node_type == "project")
        )
    ).first()
    return None if row is None else (row.id, row.approved_version_id)


async def read_project(uow: UnitOfWork, principal: Principal | None, project_id: str) -> dict[str, Any]:
    """Privileged callers and the project's own agencies see the latest version; others the approved one."""
    try:
        plan_id, version_id = await locate_project(uow, project_id)
        node = await store.load_node(uow.session, version_id, project_id)
        own = principal is not None and any(principal.acts_for_agency(r["agency"]) for r in node["roles"])
        if is_privileged_reader(principal) or own:
            return {**node, "plan_id": plan_id, "version_id": version_id}
    except Exception as exc:  # noqa: BLE001 - fall through to the approved version
        if getattr(exc, "status", None) != 404:
            raise
    approved = await approved_location(uow, project_id)
    if approved is None:
        raise not_found("project", project_id)
    node = await store.load_node(uow.session, approved[1], project_id)
    return {**node, "plan_id": approved[0], "version_id": approved[1]}
