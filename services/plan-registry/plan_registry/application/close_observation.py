"""The raising body (or the secretariat) closes an answered observation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found

from plan_registry.application.repositories import repositories
from plan_registry.domain.observations import CLOSABLE, require_raiser, require_status
from plan_registry.events.types import OBSERVATION_CLOSED
from plan_registry.events.payloads import observation_event


@dataclass(frozen=True)
class CloseObservation:
    principal: Principal
    observation_id: str


async def handle(command: CloseObservation, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    obs = await repos.observations.find(command.observation_id)
    if obs is None:
        raise not_found("observation", command.observation_id)
    require_raiser(command.principal, obs["raised_by_body"], "settle")
    require_status(obs, CLOSABLE, "close")
    now = utcnow()
    await repos.observations.update(command.observation_id, status="closed", closed_at=now)
    await repos.observations.add_history({"observation_id": command.observation_id, "at": now,
                                          "actor": command.principal.subject, "action": "closed", "status": "closed"})
    obs = await repos.observations.find(command.observation_id)
    assert obs is not None
    await uow.publish(OBSERVATION_CLOSED, command.observation_id, observation_event(obs))
    return obs
