"""What the governance engine's plan-approval decisions do to versions (event handlers).

A submitted version is already frozen; a stage decision marks it ``under_review`` and raises the
body's observations on it; ``returned`` and ``rejected`` leave it frozen (the secretariat revises
into a new version); ``approved`` makes it the plan's approved version. Events about unknown
versions, or decisions that no longer fit the version's state (a replay), change nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from dgplan_shared.consumer import EventHandlers
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent
from dgplan_shared.text import normalize_text

from plan_registry.adapters.plan_repository import plan_dict, version_dict
from plan_registry.application.raise_observation import record_observation
from plan_registry.application.repositories import Repositories, repositories
from plan_registry.application.structure_event import structure_event
from plan_registry.events.types import APPROVED, REJECTED, RETURNED, STAGE_DECIDED, STRUCTURE_PUBLISHED, VERSION_APPROVED
from plan_registry.events.payloads import version_approved

log = logging.getLogger(__name__)

UNDER_GOVERNANCE = ("submitted", "under_review")


async def _version(repos: Repositories, event: CloudEvent) -> Any | None:
    version_id = event.data.get("version_id")
    row = await repos.plans.find_version(str(version_id))
    if row is None or row.plan_id != str(event.data.get("plan_id")):
        log.warning("governance decision for an unknown version", extra={"event_id": event.id, "version_id": version_id})
        return None
    return row


async def _set_status(repos: Repositories, version: Any, status: str, body: str | None) -> None:
    await repos.plans.update_version(
        version.id, status=status, decided_by_body=body, decided_at=utcnow() if status != "under_review" else None
    )


def _text(item: dict[str, Any]) -> dict[str, str]:
    """The observation's text, spelled as request bodies' text is (the engine's may come from a PDF)."""
    raw = item.get("text") or {}
    th = normalize_text(str(raw.get("th") or raw.get("en") or ""))
    en = normalize_text(str(raw.get("en") or raw.get("th") or ""))
    return {"th": th, "en": en}


async def stage_decided(uow: UnitOfWork, event: CloudEvent) -> None:
    repos = repositories(uow)
    version = await _version(repos, event)
    if version is None:
        return
    if version.status == "submitted":
        await _set_status(repos, version, "under_review", None)
    body = str(event.data.get("body") or "unknown")
    for i, item in enumerate(event.data.get("observations") or []):
        node_id = item.get("node_id")
        if node_id is not None:
            node_id = str(node_id) if await repos.nodes.exists(version.id, str(node_id)) else None
        ref = str(item.get("observation_ref") or f"{event.id}:{i}")
        await record_observation(uow, repos, version.plan_id, version.id, body, _text(item), node_id, external_ref=ref)


async def returned(uow: UnitOfWork, event: CloudEvent) -> None:
    repos = repositories(uow)
    version = await _version(repos, event)
    if version is not None and version.status in UNDER_GOVERNANCE:
        await _set_status(repos, version, "returned", event.data.get("body"))


async def rejected(uow: UnitOfWork, event: CloudEvent) -> None:
    repos = repositories(uow)
    version = await _version(repos, event)
    if version is not None and version.status in UNDER_GOVERNANCE:
        await _set_status(repos, version, "rejected", event.data.get("body"))


async def approved(uow: UnitOfWork, event: CloudEvent) -> None:
    repos = repositories(uow)
    version = await _version(repos, event)
    if version is None or version.status not in UNDER_GOVERNANCE:
        return
    await _set_status(repos, version, "approved", event.data.get("body"))
    await repos.plans.update(version.plan_id, approved_version_id=version.id)
    plan = plan_dict(await repos.plans.get(version.plan_id))
    v = version_dict(await repos.plans.get_version(version.plan_id, version.id))
    content = await repos.nodes.load_nodes(version.id)
    await uow.publish(VERSION_APPROVED, plan["id"], version_approved(v, content))
    await uow.publish(STRUCTURE_PUBLISHED, plan["id"], await structure_event(repos, plan, version.id, content))


def register(handlers: EventHandlers) -> None:
    handlers.on(STAGE_DECIDED)(stage_decided)
    handlers.on(RETURNED)(returned)
    handlers.on(REJECTED)(rejected)
    handlers.on(APPROVED)(approved)
