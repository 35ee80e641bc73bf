"""A project continuing one of the predecessor plan: only a project continues, only a plan with a
predecessor has one to continue, and the project continued is a project of that predecessor (in its
approved version, or its latest when none is approved yet)."""

from __future__ import annotations

from typing import Any

from dgplan_shared.errors import invalid

from plan_registry.application.repositories import Repositories
from plan_registry.domain.hierarchy import PROJECT

FIELD = "continues_project_id"


async def check_continues(repos: Repositories, predecessor_plan_id: str | None, node: dict[str, Any],
                          field: str = FIELD) -> None:
    continued = node.get(FIELD)
    if continued is None:
        return
    if node["node_type"] != PROJECT:
        raise invalid(field, "only a project continues a project")
    if continued == node["id"]:
        raise invalid(field, "a project cannot continue itself")
    if predecessor_plan_id is None:
        raise invalid(field, "this plan names no predecessor plan (predecessor_plan_id) whose project it could continue")
    for which in ("approved", "latest"):
        found = await repos.nodes.project_location(continued, which)
        if found is not None and found[0] == predecessor_plan_id:
            return
    raise invalid(field, f"no project {continued!r} in the predecessor plan {predecessor_plan_id!r}")
