"""The raising body accepts or rejects the response (responded -> accepted | rejected)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found

from plan_registry.application.repositories import repositories
from plan_registry.domain.observations import RESOLVABLE, require_raiser, require_status


@dataclass(frozen=True)
class ResolveObservation:
    principal: Principal
    observation_id: str
    decision: str
    reason: str | None


async def handle(command: ResolveObservation, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    obs = await repos.observations.find(command.observation_id)
    if obs is None:
        raise not_found("observation", command.observation_id)
    require_raiser(command.principal, obs["raised_by_body"], "settle")
    require_status(obs, RESOLVABLE, f"mark as {command.decision}")
    await repos.observations.update(command.observation_id, status=command.decision, resolution_reason=command.reason)
    await repos.observations.add_history({"observation_id": command.observation_id, "at": utcnow(),
                                          "actor": command.principal.subject, "action": command.decision,
                                          "status": command.decision, "reason": command.reason})
    obs = await repos.observations.find(command.observation_id)
    assert obs is not None
    return obs
