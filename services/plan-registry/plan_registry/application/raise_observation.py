"""Raise an observation on a version, or on one of its nodes (a body's member or the secretariat);
the governance engine's stage decisions raise theirs through :func:`record_observation`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid

from plan_registry.application.repositories import Repositories, repositories
from plan_registry.domain.observations import require_raiser
from plan_registry.events.types import OBSERVATION_RAISED
from plan_registry.events.payloads import observation_event


@dataclass(frozen=True)
class RaiseObservation:
    principal: Principal
    plan_id: str
    version_id: str
    body: dict[str, Any]


async def record_observation(
    uow: UnitOfWork, repos: Repositories, plan_id: str, version_id: str, body: str, text: dict[str, str],
    node_id: str | None, external_ref: str | None = None, raised_by: str | None = None,
) -> dict[str, Any] | None:
    """Insert (or find, by the engine's reference: None then) an observation and announce it.
    ``raised_by``: the caller's subject; the engine's observations are raised by the body."""
    if external_ref is not None and await repos.observations.id_by_ref(version_id, external_ref) is not None:
        return None
    oid = str(uuid.uuid4())
    now = utcnow()
    await repos.observations.add({
        "id": oid, "plan_id": plan_id, "version_id": version_id, "node_id": node_id, "raised_by_body": body,
        "external_ref": external_ref, "text_th": text["th"], "text_en": text["en"], "status": "open",
        "created_at": now,
    })
    await repos.observations.add_history({"observation_id": oid, "at": now, "actor": raised_by or body,
                                          "action": "raised", "status": "open", "text": text})
    obs = await repos.observations.find(oid)
    assert obs is not None
    await uow.publish(OBSERVATION_RAISED, oid, observation_event(obs))
    return obs


async def handle(command: RaiseObservation, uow: UnitOfWork) -> dict[str, Any]:
    body = command.body
    require_raiser(command.principal, body["raised_by_body"])
    repos = repositories(uow)
    await repos.plans.get_version(command.plan_id, command.version_id)
    node_id = body.get("node_id")
    if node_id is not None and not await repos.nodes.exists(command.version_id, node_id):
        raise invalid("node_id", f"no node {node_id} in this version")
    obs = await record_observation(uow, repos, command.plan_id, command.version_id, body["raised_by_body"],
                                   body["text"], node_id, raised_by=command.principal.subject)
    assert obs is not None
    return obs
