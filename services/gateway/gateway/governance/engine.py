"""Moving an instance: entering a stage (with its deadline), concluding one with a decision, and
the events and audit entry that go with it — all inside the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy.exc import IntegrityError

from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.problems import ProblemError
from gateway.audit import log as audit
from gateway.governance import store
from gateway.governance.definitions import Decision, Stage, WorkflowDefinition
from gateway.governance.events import outcome_payload


def illegal(detail: str, **extensions: Any) -> ProblemError:
    return ProblemError(409, "illegal-transition", "Illegal transition", detail, **extensions)


BANGKOK = timezone(timedelta(hours=7))


def parse_deadline(value: Any) -> datetime | None:
    """A deadline from another service's event: ISO 8601; a bare date means the end of that day in
    Thailand; a naive time is taken as UTC. Unreadable -> None (the stage's duration applies)."""
    text = str(value).strip().replace("Z", "+00:00")
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day, time(23, 59, 59), BANGKOK).astimezone(timezone.utc)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)


def due_at(stage: Stage, context: dict[str, Any], now: datetime) -> datetime | None:
    if stage.due_from is not None and context.get(stage.due_from):
        deadline = parse_deadline(context[stage.due_from])
        if deadline is not None:
            return deadline
    if stage.due_days is not None:
        return now + timedelta(days=stage.due_days)
    return None


def entering(definition: WorkflowDefinition, instance: dict[str, Any], target: str, now: datetime) -> dict[str, Any]:
    """Column changes for moving ``instance`` to stage or outcome ``target``."""
    changes: dict[str, Any] = {
        "stage": target,
        "stage_entry": instance["stage_entry"] + 1,
        "stage_entered_at": now,
        "updated_at": now,
    }
    if target in definition.outcomes:
        return {**changes, "status": "completed", "outcome": target, "stage_body": None, "stage_due_at": None}
    stage = definition.stage(target)
    assert stage is not None  # the definition was validated
    return {**changes, "stage_body": stage.body, "stage_due_at": due_at(stage, instance["context"], now)}


def acting_as(role: str, body: str) -> str:
    return f"{role}@{body}"


async def conclude_stage(
    uow: UnitOfWork,
    instance: dict[str, Any],
    definition: WorkflowDefinition,
    decision: Decision,
    *,
    reason: str,
    observations: list[dict[str, Any]],
    actor: str,
    actor_role: str,
    now: datetime,
    tally: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Record the stage's outcome exactly once, move on, and write the events of the outcome."""
    stage = definition.stage(instance["stage"])
    assert stage is not None
    with_refs = [{"observation_ref": str(uuid.uuid4()), **o} for o in observations]
    try:
        async with uow.session.begin_nested():
            await store.add_timeline(
                uow.session,
                instance,
                at=now,
                kind="decided",
                stage=stage.name,
                body=stage.body,
                actor=actor,
                acting_as=acting_as(actor_role, stage.body),
                decision=decision.name,
                reason=reason,
                observations=with_refs,
                detail={"next_stage": decision.to, "tally": tally},
                outcome_entry=instance["stage_entry"],
            )
    except IntegrityError as exc:  # the other concurrent decider won; this one changes nothing
        raise illegal(f"stage {stage.name} has already been decided") from exc
    changes = entering(definition, instance, decision.to, now)
    changes["resume_stage"] = decision.resume
    decided = await store.save_instance(uow.session, instance, changes)
    # Events describe the version that was decided (the instance before it moved on).
    described = {**instance, "resume_stage": decision.resume}
    for short_name in decision.emit:
        event_type, subject, data = outcome_payload(
            short_name,
            described,
            stage=stage.name,
            body=stage.body,
            decision=decision.name,
            reason=reason,
            observations=with_refs,
            next_stage=decision.to,
            decided_at=now,
        )
        await uow.publish(event_type, subject, data)
    await audit.append(
        uow.session,
        actor=actor,
        acting_as=acting_as(actor_role, stage.body),
        action="stage-decided",
        target=store.subject_of(instance),
        decision=decision.name,
        reason=reason,
        payload={
            "workflow": instance["workflow_key"],
            "definition_version": instance["definition_version"],
            "stage": stage.name,
            "stage_entry": instance["stage_entry"],
            "next_stage": decision.to,
            "plan_id": instance["plan_id"],
            "version_id": instance["version_id"],
            "round_id": instance["round_id"],
            "observations": with_refs,
            "tally": tally,
        },
        at=now,
    )
    return decided


async def advance_without_decision(
    uow: UnitOfWork,
    instance: dict[str, Any],
    definition: WorkflowDefinition,
    target: str,
    *,
    kind: str,
    actor: str,
    reason: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Moves that no body decides: an event from another service, a deadline, a resubmission."""
    moved = await store.save_instance(
        uow.session, instance, {**entering(definition, instance, target, now), **(changes or {})}
    )
    await store.add_timeline(
        uow.session,
        moved,
        at=now,
        kind=kind,
        stage=instance["stage"],
        body=instance["stage_body"],
        actor=actor,
        acting_as=None,
        reason=reason,
        detail={"next_stage": target, **(detail or {})},
    )
    await audit.append(
        uow.session,
        actor=actor,
        acting_as="system",
        action=kind,
        target=store.subject_of(instance),
        reason=reason,
        payload={"from_stage": instance["stage"], "to_stage": target, **(detail or {})},
        at=now,
    )
    return moved
