"""Moving an instance inside the caller's unit of work: concluding a stage with a decision (the
outcome row exactly once, the events of the outcome, the audit entry) and the moves no body
decides (another service's event, a deadline, a resubmission)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from dgplan_shared.db.uow import UnitOfWork
from gateway.governance.application.repositories import repositories
from gateway.governance.application.stage_events import publish_stage_entered
from gateway.governance.domain.definitions import Decision, WorkflowDefinition
from gateway.governance.domain.transitions import acting_as, entering, illegal, subject_of
from gateway.governance.events.payloads import outcome_payload


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
    repos = repositories(uow)
    stage = definition.stage(instance["stage"])
    assert stage is not None
    with_refs = [{"observation_ref": str(uuid.uuid4()), **o} for o in observations]
    recorded = await repos.instances.add_outcome(
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
    )
    if not recorded:  # the other concurrent decider won; this one changes nothing
        raise illegal(f"stage {stage.name} has already been decided")
    changes = entering(definition, instance, decision.to, now)
    changes["resume_stage"] = decision.resume
    decided = await repos.instances.save(instance, changes)
    await publish_stage_entered(uow, definition, decided, now)
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
    await repos.audit.append(
        actor=actor,
        acting_as=acting_as(actor_role, stage.body),
        action="stage-decided",
        target=subject_of(instance),
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
    repos = repositories(uow)
    moved = await repos.instances.save(instance, {**entering(definition, instance, target, now), **(changes or {})})
    await publish_stage_entered(uow, definition, moved, now)
    await repos.instances.add_timeline(
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
    await repos.audit.append(
        actor=actor,
        acting_as="system",
        action=kind,
        target=subject_of(instance),
        reason=reason,
        payload={"from_stage": instance["stage"], "to_stage": target, **(detail or {})},
        at=now,
    )
    return moved
