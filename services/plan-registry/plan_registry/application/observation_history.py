"""An observation's lifecycle, oldest step first: who raised, responded, accepted or rejected and
closed it, when, with what text and why. Visible to whoever may read the observation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork

from plan_registry.application import read_observation
from plan_registry.application.repositories import repositories


@dataclass(frozen=True)
class ObservationHistory:
    principal: Principal | None
    observation_id: str


async def handle(query: ObservationHistory, uow: UnitOfWork) -> dict[str, Any]:
    await read_observation.handle(read_observation.ReadObservation(query.principal, query.observation_id), uow)
    steps = await repositories(uow).observations.history_of(query.observation_id)
    return {"items": steps, "next_cursor": None}  # an observation has a handful of steps: one page
