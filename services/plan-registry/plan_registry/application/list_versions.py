"""A plan's versions (metadata, not content): every one for those who may see unapproved content."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork

from plan_registry.adapters.plan_repository import version_dict
from plan_registry.application.repositories import repositories
from plan_registry.application.visibility import plan_view
from plan_registry.domain.access import is_privileged_reader


@dataclass(frozen=True)
class ListVersions:
    principal: Principal | None
    plan_id: str


async def handle(query: ListVersions, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    await plan_view(repos, query.principal, query.plan_id)
    items = [version_dict(r) for r in await repos.plans.list_versions(query.plan_id)]
    principal = query.principal
    if not is_privileged_reader(principal) and not (principal and principal.agency):
        items = [v for v in items if v["status"] == "approved"]
    return {"items": items, "next_cursor": None}  # a plan has a handful of versions: one page
