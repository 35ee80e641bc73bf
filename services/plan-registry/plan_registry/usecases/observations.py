"""Observations (ข้อสังเกต): open -> responded -> accepted | rejected -> closed."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert, select, update

from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_contracts.identity import SECRETARIAT, Principal, forbidden, require_role
from dgplan_shared.problems import conflict, invalid, not_found

from plan_registry import store
from plan_registry.db.tables import nodes, observations
from plan_registry.events import OBSERVATION_CLOSED, OBSERVATION_RAISED, OBSERVATION_RESPONDED
from plan_registry.events.payloads import observation_event


def observation_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "plan_id": row.plan_id,
        "version_id": row.version_id,
        "node_id": row.node_id,
        "raised_by_body": row.raised_by_body,
        "external_ref": row.external_ref,
        "text": {"th": row.text_th, "en": row.text_en},
        "status": row.status,
        "response": {"th": row.response_th, "en": row.response_en} if row.response_th else None,
        "responded_by": row.responded_by,
        "resolution_reason": row.resolution_reason,
        "created_at": row.created_at.isoformat(),
    }


async def get_observation(uow: UnitOfWork, observation_id: str) -> dict[str, Any]:
    row = (await uow.session.execute(select(observations).where(observations.c.id == observation_id))).first()
    if row is None:
        raise not_found("observation", observation_id)
    return observation_dict(row)


async def record_observation(
    uow: UnitOfWork, plan_id: str, version_id: str, body: str, text: dict[str, str], node_id: str | None,
    external_ref: str | None = None, status: str = "open", observation_id: str | None = None,
) -> dict[str, Any] | None:
    """Insert (or find, by the engine's reference) an observation and announce it."""
    session = uow.session
    if external_ref is not None:
        seen = await session.scalar(
            select(observations.c.id).where(observations.c.version_id == version_id, observations.c.external_ref == external_ref)
        )
        if seen is not None:
            return None
    oid = observation_id or str(uuid.uuid4())
    await session.execute(
        insert(observations).values(
            id=oid, plan_id=plan_id, version_id=version_id, node_id=node_id, raised_by_body=body,
            external_ref=external_ref, text_th=text["th"], text_en=text["en"], status=status, created_at=utcnow(),
        )
    )
    obs = await get_observation(uow, oid)
    await uow.publish(OBSERVATION_RAISED, oid, observation_event(obs))
    return obs


async def raise_observation(
    uow: UnitOfWork, principal: Principal, plan_id: str, version_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    if not principal.has(SECRETARIAT):
        require_role(principal, "body_member")
        if not principal.member_of(body["raised_by_body"]):
            raise forbidden(f"Only members of {body['raised_by_body']} raise its observations.")
    await store.get_version(uow.session, plan_id, version_id)
    node_id = body.get("node_id")
    if node_id is not None:
        exists = await uow.session.scalar(
            select(nodes.c.node_id).where(nodes.c.version_id == version_id, nodes.c.node_id == node_id)
        )
        if exists is None:
            raise invalid("node_id", f"no node {node_id} in this version")
    obs = await record_observation(uow, plan_id, version_id, body["raised_by_body"], body["text"], node_id)
    assert obs is not None
    return obs


def _not_in(obs: dict[str, Any], allowed: tuple[str, ...], action: str) -> None:
    if obs["status"] not in allowed:
        slug = "observation-closed" if obs["status"] == "closed" else "observation-state"
        raise conflict(slug, f"Cannot {action} an observation that is {obs['status']}.", observation_status=obs["status"])


async def respond(uow: UnitOfWork, principal: Principal, observation_id: str, text: dict[str, str]) -> dict[str, Any]:
    require_role(principal, SECRETARIAT)
    obs = await get_observation(uow, observation_id)
    _not_in(obs, ("open", "responded"), "respond to")
    await uow.session.execute(
        update(observations).where(observations.c.id == observation_id).values(
            status="responded", response_th=text["th"], response_en=text["en"], responded_by=principal.subject,
            responded_at=utcnow(),
        )
    )
    obs = await get_observation(uow, observation_id)
    await uow.publish(OBSERVATION_RESPONDED, observation_id, observation_event(obs))
    return obs


def _require_body_or_secretariat(principal: Principal, obs: dict[str, Any]) -> None:
    if principal.has(SECRETARIAT):
        return
    require_role(principal, "body_member")
    if not principal.member_of(obs["raised_by_body"]):
        raise forbidden(f"Only members of {obs['raised_by_body']} settle its observations.")


async def resolve(
    uow: UnitOfWork, principal: Principal, observation_id: str, decision: str, reason: str | None
) -> dict[str, Any]:
    obs = await get_observation(uow, observation_id)
    _require_body_or_secretariat(principal, obs)
    _not_in(obs, ("responded",), f"mark as {decision}")
    await uow.session.execute(
        update(observations).where(observations.c.id == observation_id).values(status=decision, resolution_reason=reason)
    )
    return await get_observation(uow, observation_id)


async def close(uow: UnitOfWork, principal: Principal, observation_id: str) -> dict[str, Any]:
    obs = await get_observation(uow, observation_id)
    _require_body_or_secretariat(principal, obs)
    _not_in(obs, ("responded", "accepted", "rejected"), "close")
    await uow.session.execute(
        update(observations).where(observations.c.id == observation_id).values(status="closed", closed_at=utcnow())
    )
    obs = await get_observation(uow, observation_id)
    await uow.publish(OBSERVATION_CLOSED, observation_id, observation_event(obs))
    return obs
