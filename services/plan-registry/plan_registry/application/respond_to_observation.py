"""The secretariat answers an observation (open | responded -> responded); a closed one refuses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import SECRETARIAT, Principal, require_role
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found

from plan_registry.application.repositories import repositories
from plan_registry.domain.observations import RESPONDABLE, require_status
from plan_registry.events.types import OBSERVATION_RESPONDED
from plan_registry.events.payloads import observation_event


@dataclass(frozen=True)
class RespondToObservation:
    principal: Principal
    observation_id: str
    text: dict[str, str]


async def handle(command: RespondToObservation, uow: UnitOfWork) -> dict[str, Any]:
    require_role(command.principal, SECRETARIAT)
    repos = repositories(uow)
    obs = await repos.observations.find(command.observation_id)
    if obs is None:
        raise not_found("observation", command.observation_id)
    require_status(obs, RESPONDABLE, "respond to")
    now = utcnow()
    await repos.observations.update(
        command.observation_id, status="responded", response_th=command.text["th"], response_en=command.text["en"],
        responded_by=command.principal.subject, responded_at=now,
    )
    # The row keeps only the latest response; the history keeps each one.
    await repos.observations.add_history({"observation_id": command.observation_id, "at": now,
                                          "actor": command.principal.subject, "action": "responded",
                                          "status": "responded", "text": command.text})
    obs = await repos.observations.find(command.observation_id)
    assert obs is not None
    await uow.publish(OBSERVATION_RESPONDED, command.observation_id, observation_event(obs))
    return obs
