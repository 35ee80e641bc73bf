"""Event handlers: the registry's and the ledger's events start, resume and move instances.

They run inside the inbox consumer's transaction (exactly once per event). An event that does
not fit the instance's state is recorded on its timeline and otherwise ignored: raising would
only send a legitimate event to the dead-letter topic.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from dgplan_shared.consumer import EventHandlers
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent
from gateway.audit import log as audit
from gateway.governance.adapters.tables import gov_instances, gov_observations
from gateway.governance import events as ev
from gateway.governance import store
from gateway.governance.definitions import WorkflowDefinition
from gateway.governance.engine import advance_without_decision, entering

log = logging.getLogger(__name__)

PLAN_APPROVAL = "plan-approval"
BUDGET_SCREENING = "budget-screening"
SHORT_NAMES = {ev.PACKAGE_SUBMITTED: "package-submitted", ev.ROUND_APPROVED: "round-approved", ev.ROUND_CLOSED: "round-closed"}


def _actor(event: CloudEvent, fallback: str | None = None) -> str:
    return fallback or event.source.rsplit("/", 1)[-1]


async def _start(
    uow: UnitOfWork, key: str, event: CloudEvent, now: datetime, *, actor: str, **subject: Any
) -> dict[str, Any] | None:
    version = await store.latest_definition_version(uow.session, key)
    if version is None:
        log.error("no workflow definition %s: seed the governance data", key)
        raise RuntimeError(f"no workflow definition {key}")
    definition = await store.get_definition(uow.session, key, version)
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
    await uow.session.execute(insert(gov_instances).values(**row))
    await store.add_timeline(
        uow.session, row, at=now, kind="started", stage=row["stage"], body=row["stage_body"], actor=actor,
        detail={"event_id": event.id, "event_type": event.type, "definition_version": version},
    )
    await audit.append(
        uow.session, actor=actor, acting_as="system", action="instance-started", target=store.subject_of(row),
        payload={"workflow": key, "definition_version": version, "event_id": event.id, **subject}, at=now,
    )
    return row


async def _note(uow: UnitOfWork, instance: dict[str, Any], event: CloudEvent, now: datetime, why: str) -> None:
    log.warning("event ignored by governance", extra={"event_type": event.type, "instance_id": instance["id"], "why": why})
    await store.add_timeline(
        uow.session, instance, at=now, kind="event-ignored", stage=instance["stage"], body=instance["stage_body"],
        actor=_actor(event), reason=why, detail={"event_id": event.id, "event_type": event.type},
    )


async def open_observations(uow: UnitOfWork, plan_id: str, version_id: str | None) -> int:
    rows = await uow.session.execute(
        select(gov_observations.c.observation_id).where(
            gov_observations.c.plan_id == plan_id,
            gov_observations.c.version_id == version_id,
            gov_observations.c.status == "open",
        )
    )
    return len(rows.all())


async def try_resume(uow: UnitOfWork, instance: dict[str, Any], now: datetime, actor: str) -> dict[str, Any]:
    """Resubmitted and every observation on the revised version answered: go to the resume stage."""
    if instance["pending_version_id"] is None or instance["resume_stage"] is None:
        return instance
    waiting = await open_observations(uow, instance["plan_id"], instance["version_id"])
    if waiting:
        await store.add_timeline(
            uow.session, instance, at=now, kind="resubmission-waiting", stage=instance["stage"],
            body=instance["stage_body"], actor=actor,
            reason=f"{waiting} observation(s) on the revised version are not answered yet",
            detail={"pending_version_id": instance["pending_version_id"], "open_observations": waiting},
        )
        return instance
    definition = await store.get_definition(uow.session, instance["workflow_key"], instance["definition_version"])
    previous = instance["version_id"]
    return await advance_without_decision(
        uow, instance, definition, instance["resume_stage"], kind="resubmitted", actor=actor,
        reason="revised version resubmitted", now=now,
        detail={"revision_of_version_id": previous, "version_id": instance["pending_version_id"]},
        changes={"version_id": instance["pending_version_id"], "pending_version_id": None, "resume_stage": None},
    )


async def on_version_submitted(uow: UnitOfWork, event: CloudEvent) -> None:
    data, now = event.data, utcnow()
    plan_id, version_id = str(data["plan_id"]), str(data["version_id"])
    actor = _actor(event, data.get("submitted_by"))
    active = await store.find_instances(uow.session, workflow_key=PLAN_APPROVAL, plan_id=plan_id, status="active")
    for found in active:
        instance = await store.get_instance(uow.session, found["id"], lock=True)
        definition = await store.get_definition(uow.session, PLAN_APPROVAL, instance["definition_version"])
        stage = definition.stage(instance["stage"])
        if stage is not None and stage.mode == "revision":
            instance = await store.save_instance(
                uow.session, instance, {"pending_version_id": version_id, "updated_at": now}
            )
            await try_resume(uow, instance, now, actor)
            return
        await _note(uow, instance, event, now, f"plan already in approval at stage {instance['stage']}")
        return
    await _start(
        uow, PLAN_APPROVAL, event, now, actor=actor, plan_id=plan_id, version_id=version_id,
        context={"number": data.get("number"), "submitted_by": data.get("submitted_by")},
    )


async def on_observation(uow: UnitOfWork, event: CloudEvent) -> None:
    data, now = event.data, utcnow()
    status = {ev.OBSERVATION_RAISED: "open", ev.OBSERVATION_RESPONDED: "responded", ev.OBSERVATION_CLOSED: "closed"}[
        event.type
    ]
    values = {
        "observation_id": str(data["observation_id"]),
        "plan_id": str(data["plan_id"]),
        "version_id": data.get("version_id"),
        "node_id": data.get("node_id"),
        "status": status,
        "raised_by_body": data.get("raised_by_body"),
        "updated_at": now,
    }
    upsert = (pg_insert if uow.session.bind.dialect.name == "postgresql" else sqlite_insert)(gov_observations)
    await uow.session.execute(
        upsert.values(**values).on_conflict_do_update(
            index_elements=["observation_id"],
            # A late 'raised' never reopens an answered observation.
            set_={"status": status, "updated_at": now} if status != "open" else {"updated_at": now},
        )
    )
    if status == "open":
        return
    for found in await store.find_instances(
        uow.session, workflow_key=PLAN_APPROVAL, plan_id=values["plan_id"], status="active"
    ):
        if found["pending_version_id"] is not None:
            instance = await store.get_instance(uow.session, found["id"], lock=True)
            await try_resume(uow, instance, now, _actor(event))


async def on_round_opened(uow: UnitOfWork, event: CloudEvent) -> None:
    data, now = event.data, utcnow()
    round_id = str(data["round_id"])
    if await store.find_instances(uow.session, workflow_key=BUDGET_SCREENING, round_id=round_id):
        return
    context = {k: data.get(k) for k in ("plan_id", "ceiling", "submission_deadline", "decision_deadline")}
    await _start(
        uow, BUDGET_SCREENING, event, now, actor=_actor(event), round_id=round_id,
        fiscal_year=int(data["fiscal_year"]), plan_id=data.get("plan_id"), context=context,
    )


async def on_round_progress(uow: UnitOfWork, event: CloudEvent) -> None:
    data, now = event.data, utcnow()
    found = await store.find_instances(uow.session, workflow_key=BUDGET_SCREENING, round_id=str(data["round_id"]))
    active = [i for i in found if i["status"] == "active"]
    if not active:
        log.warning("no active screening instance for round %s (%s)", data["round_id"], event.type)
        return
    instance = await store.get_instance(uow.session, active[-1]["id"], lock=True)
    definition: WorkflowDefinition = await store.get_definition(
        uow.session, BUDGET_SCREENING, instance["definition_version"]
    )
    stage = definition.stage(instance["stage"])
    short = SHORT_NAMES[event.type]
    target = stage.advance_on.get(short) if stage is not None else None
    if target is None:
        await _note(uow, instance, event, now, f"{short} does not move stage {instance['stage']}")
        return
    context = dict(instance["context"])
    if short == "package-submitted":
        context.update(recommended_total=data.get("recommended_total"), request_count=data.get("request_count"))
    elif short == "round-approved":
        context.update(approved_total=data.get("approved_total"))
    await advance_without_decision(
        uow, instance, definition, target, kind="advanced", actor=_actor(event), reason=short, now=now,
        detail={"event_id": event.id, "event_type": event.type}, changes={"context": context},
    )


def register(handlers: EventHandlers) -> None:
    handlers.on(ev.PLAN_SUBMITTED)(on_version_submitted)
    handlers.on(ev.OBSERVATION_RAISED, ev.OBSERVATION_RESPONDED, ev.OBSERVATION_CLOSED)(on_observation)
    handlers.on(ev.ROUND_OPENED)(on_round_opened)
    handlers.on(ev.PACKAGE_SUBMITTED, ev.ROUND_APPROVED, ev.ROUND_CLOSED)(on_round_progress)


SUBSCRIPTIONS = ("plan-registry.plan.events", "plan-registry.observation.events", "budget-ledger.screening.events")
