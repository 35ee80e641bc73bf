"""What the governance engine's plan-approval decisions do to versions.

A submitted version is already frozen; a stage decision marks it ``under_review`` and raises the
body's observations on it; ``returned`` and ``rejected`` leave it frozen (the secretariat revises
into a new version); ``approved`` makes it the plan's approved version. Events about unknown
versions, or decisions that no longer fit the version's state (a replay), change nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select, update

from dgplan_shared.consumer import EventHandlers
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent

from plan_registry import store
from plan_registry.db.tables import nodes, plan_versions, plans
from plan_registry.domain.text import nfc_deep
from plan_registry.events import (
    APPROVED, REJECTED, RETURNED, STAGE_DECIDED, STRUCTURE_PUBLISHED, VERSION_APPROVED,
)
from plan_registry.events.payloads import structure_published, version_approved
from plan_registry.usecases.observations import record_observation

log = logging.getLogger(__name__)

UNDER_GOVERNANCE = ("submitted", "under_review")


async def _version(uow: UnitOfWork, event: CloudEvent) -> Any | None:
    version_id = event.data.get("version_id")
    row = (await uow.session.execute(select(plan_versions).where(plan_versions.c.id == str(version_id)))).first()
    if row is None or row.plan_id != str(event.data.get("plan_id")):
        log.warning("governance decision for an unknown version", extra={"event_id": event.id, "version_id": version_id})
        return None
    return row


async def _set_status(uow: UnitOfWork, version: Any, status: str, body: str | None) -> None:
    await uow.session.execute(
        update(plan_versions).where(plan_versions.c.id == version.id).values(
            status=status, decided_by_body=body, decided_at=utcnow() if status != "under_review" else None
        )
    )


async def stage_decided(uow: UnitOfWork, event: CloudEvent) -> None:
    version = await _version(uow, event)
    if version is None:
        return
    if version.status == "submitted":
        await _set_status(uow, version, "under_review", None)
    body = str(event.data.get("body") or "unknown")
    for i, item in enumerate(event.data.get("observations") or []):
        text = nfc_deep(item.get("text") or {})
        node_id = item.get("node_id")
        if node_id is not None:
            exists = await uow.session.scalar(
                select(nodes.c.node_id).where(nodes.c.version_id == version.id, nodes.c.node_id == str(node_id))
            )
            node_id = str(node_id) if exists else None
        ref = str(item.get("observation_ref") or f"{event.id}:{i}")
        await record_observation(
            uow, version.plan_id, version.id, body,
            {"th": text.get("th") or text.get("en") or "", "en": text.get("en") or text.get("th") or ""},
            node_id, external_ref=ref,
        )


async def returned(uow: UnitOfWork, event: CloudEvent) -> None:
    version = await _version(uow, event)
    if version is not None and version.status in UNDER_GOVERNANCE:
        await _set_status(uow, version, "returned", event.data.get("body"))


async def rejected(uow: UnitOfWork, event: CloudEvent) -> None:
    version = await _version(uow, event)
    if version is not None and version.status in UNDER_GOVERNANCE:
        await _set_status(uow, version, "rejected", event.data.get("body"))


async def approved(uow: UnitOfWork, event: CloudEvent) -> None:
    version = await _version(uow, event)
    if version is None or version.status not in UNDER_GOVERNANCE:
        return
    await _set_status(uow, version, "approved", event.data.get("body"))
    await uow.session.execute(update(plans).where(plans.c.id == version.plan_id).values(approved_version_id=version.id))
    plan = store.plan_dict(await store.get_plan(uow.session, version.plan_id))
    v = store.version_dict(await store.get_version(uow.session, version.plan_id, version.id))
    content = await store.load_nodes(uow.session, version.id)
    await uow.publish(VERSION_APPROVED, plan["id"], version_approved(v, content))
    await uow.publish(STRUCTURE_PUBLISHED, plan["id"], structure_published(plan, version.id, content))


def register(handlers: EventHandlers) -> None:
    handlers.on(STAGE_DECIDED)(stage_decided)
    handlers.on(RETURNED)(returned)
    handlers.on(REJECTED)(rejected)
    handlers.on(APPROVED)(approved)
