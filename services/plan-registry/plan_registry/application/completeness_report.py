"""Declared counts (strategies, measures, work plans, projects) against registered ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork

from plan_registry.application.repositories import repositories
from plan_registry.application.visibility import version_for_read
from plan_registry.domain.completeness import completeness


@dataclass(frozen=True)
class CompletenessReport:
    principal: Principal | None
    plan_id: str
    version_id: str | None = None


async def handle(query: CompletenessReport, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    version = await version_for_read(repos, query.principal, query.plan_id, query.version_id)
    content = await repos.nodes.load_nodes(version.id)  # counts are not secret: all nodes
    return {"plan_id": query.plan_id, "version_id": version.id, "version_number": version.number, **completeness(content)}
