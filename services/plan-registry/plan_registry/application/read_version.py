"""One version of a plan, if the caller may see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork

from plan_registry.adapters.plan_repository import version_dict
from plan_registry.application.repositories import repositories
from plan_registry.application.visibility import version_for_read


@dataclass(frozen=True)
class ReadVersion:
    principal: Principal | None
    plan_id: str
    version_id: str


async def handle(query: ReadVersion, uow: UnitOfWork) -> dict[str, Any]:
    return version_dict(await version_for_read(repositories(uow), query.principal, query.plan_id, query.version_id))
