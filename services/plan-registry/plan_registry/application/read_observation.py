"""One observation, if the caller may see the version (an agency: only on nodes it holds a role on)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found

from plan_registry.application.repositories import repositories
from plan_registry.domain.access import version_visibility


@dataclass(frozen=True)
class ReadObservation:
    principal: Principal | None
    observation_id: str


async def handle(query: ReadObservation, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    obs = await repos.observations.find(query.observation_id)
    if obs is None:
        raise not_found("observation", query.observation_id)
    version = await repos.plans.find_version(obs["version_id"])
    principal = query.principal
    if version_visibility(principal, version.status if version else "draft") == "own":
        assert principal is not None
        if not await repos.nodes.agency_holds_role(obs["version_id"], obs["node_id"], principal.agency):
            raise not_found("observation", query.observation_id)
    return obs
