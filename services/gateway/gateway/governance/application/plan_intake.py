"""Event handlers for plans: a submitted version starts a plan-approval instance, or resumes one
waiting in revision once every observation on the revised version is answered.

They run inside the inbox consumer's transaction (exactly once per event).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent
from gateway.governance.application.repositories import repositories
from gateway.governance.application.stage_moves import advance_without_decision
from gateway.governance.application.start_instance import actor_of, note_ignored, start_instance
from gateway.governance.events import types as ev

PLAN_APPROVAL = "plan-approval"
_STATUS = {ev.OBSERVATION_RAISED: "open", ev.OBSERVATION_RESPONDED: "responded", ev.OBSERVATION_CLOSED: "closed"}


async def try_resume(uow: UnitOfWork, instance: dict[str, Any], now: datetime, actor: str) -> dict[str, Any]:
    """Resubmitted and every observation on the revised version answered: go to the resume stage."""
    if instance["pending_version_id"] is None or instance["resume_stage"] is None:
        return instance
    repos = repositories(uow)
    waiting = await repos.observations.open_count(instance["plan_id"], instance["version_id"])
    if waiting:
        await repos.instances.add_timeline(
            instance, at=now, kind="resubmission-waiting", stage=instance["stage"],
            body=instance["stage_body"], actor=actor,
            reason=f"{waiting} observation(s) on the revised version are not answered yet",
            detail={"pending_version_id": instance["pending_version_id"], "open_observations": waiting},
        )
        return instance
    definition = await repos.workflows.get(instance["workflow_key"], instance["definition_version"])
    previous = instance["version_id"]
    return await advance_without_decision(
        uow, instance, definition, instance["resume_stage"], kind="resubmitted", actor=actor,
        reason="revised version resubmitted", now=now,
        detail={"revision_of_version_id": previous, "version_id": instance["pending_version_id"]},
        changes={"version_id": instance["pending_version_id"], "pending_version_id": None, "resume_stage": None},
    )


async def on_version_submitted(uow: UnitOfWork, event: CloudEvent) -> None:
    repos = repositories(uow)
    data, now = event.data, utcnow()
    plan_id, version_id = str(data["plan_id"]), str(data["version_id"])
    actor = actor_of(event, data.get("submitted_by"))
    active = await repos.instances.find(workflow_key=PLAN_APPROVAL, plan_id=plan_id, status="active")
    for found in active:
        instance = await repos.instances.get(found["id"], lock=True)
        definition = await repos.workflows.get(PLAN_APPROVAL, instance["definition_version"])
        stage = definition.stage(instance["stage"])
        if stage is not None and stage.mode == "revision":
            instance = await repos.instances.save(instance, {"pending_version_id": version_id, "updated_at": now})
            await try_resume(uow, instance, now, actor)
            return
        await note_ignored(uow, instance, event, now, f"plan already in approval at stage {instance['stage']}")
        return
    await start_instance(
        uow, PLAN_APPROVAL, event, now, actor=actor, plan_id=plan_id, version_id=version_id,
        context={"number": data.get("number"), "submitted_by": data.get("submitted_by")},
    )


async def on_observation(uow: UnitOfWork, event: CloudEvent) -> None:
    repos = repositories(uow)
    data, now = event.data, utcnow()
    status = _STATUS[event.type]
    plan_id = str(data["plan_id"])
    await repos.observations.record(
        {
            "observation_id": str(data["observation_id"]),
            "plan_id": plan_id,
            "version_id": data.get("version_id"),
            "node_id": data.get("node_id"),
            "status": status,
            "raised_by_body": data.get("raised_by_body"),
            "updated_at": now,
        }
    )
    if status == "open":
        return
    for found in await repos.instances.find(workflow_key=PLAN_APPROVAL, plan_id=plan_id, status="active"):
        if found["pending_version_id"] is not None:
            instance = await repos.instances.get(found["id"], lock=True)
            await try_resume(uow, instance, now, actor_of(event))
