"""Use case step: start an instance of the newest version of a workflow (from an event)."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent
from gateway.governance.application.repositories import repositories
from gateway.governance.application.stage_events import publish_stage_entered
from gateway.governance.domain.transitions import entering, subject_of

log = logging.getLogger(__name__)


async def start_instance(
    uow: UnitOfWork, key: str, event: CloudEvent, now: datetime, *, actor: str, **subject: Any
) -> dict[str, Any]:
    repos = repositories(uow)
    version = await repos.workflows.latest_version(key)
    if version is None:
        log.error("no workflow definition %s: seed the governance data", key)
        raise RuntimeError(f"no workflow definition {key}")
    definition = await repos.workflows.get(key, version)
    draft: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "workflow_key": key,
        "definition_version": version,
        "status": "active",
        "outcome": None,
        "stage_entry": 0,
        "resume_stage": None,
        "pending_version_id": None,
        "plan_id": None,
        "version_id": None,
        "round_id": None,
        "fiscal_year": None,
        "context": {},
        "lock_version": 0,
        "created_at": now,
        **subject,
    }
    row = {**draft, **entering(definition, draft, definition.start, now)}
    await repos.instances.add(row)
    await publish_stage_entered(uow, definition, row, now)
    await repos.instances.add_timeline(
        row, at=now, kind="started", stage=row["stage"], body=row["stage_body"], actor=actor,
        detail={"event_id": event.id, "event_type": event.type, "definition_version": version},
    )
    await repos.audit.append(
        actor=actor, acting_as="system", action="instance-started", target=subject_of(row),
        payload={"workflow": key, "definition_version": version, "event_id": event.id, **subject}, at=now,
    )
    return row


def actor_of(event: CloudEvent, fallback: str | None = None) -> str:
    return fallback or event.source.rsplit("/", 1)[-1]


async def note_ignored(uow: UnitOfWork, instance: dict[str, Any], event: CloudEvent, now: datetime, why: str) -> None:
    """An event that does not fit the instance's state is recorded on its timeline, not applied:
    raising would only send a legitimate event to the dead-letter topic."""
    log.warning(
        "event ignored by governance", extra={"event_type": event.type, "instance_id": instance["id"], "why": why}
    )
    await repositories(uow).instances.add_timeline(
        instance, at=now, kind="event-ignored", stage=instance["stage"], body=instance["stage_body"],
        actor=actor_of(event), reason=why, detail={"event_id": event.id, "event_type": event.type},
    )
