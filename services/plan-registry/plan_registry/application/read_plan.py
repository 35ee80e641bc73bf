"""A plan as the caller may see it (the public only once it has an approved version)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork

from plan_registry.application.repositories import repositories
from plan_registry.application.visibility import plan_view


@dataclass(frozen=True)
class ReadPlan:
    principal: Principal | None
    plan_id: str


async def handle(query: ReadPlan, uow: UnitOfWork) -> dict[str, Any]:
    return await plan_view(repositories(uow), query.principal, query.plan_id)
