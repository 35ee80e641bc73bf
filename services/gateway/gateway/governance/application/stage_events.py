"""The ``workflow.stage-entered`` event, written beside every move of an instance (start, decision,
a move no body decides), in the same transaction: consumers learn which body a decision now
waits for and until when, and, from the next entry or the completion, that it no longer does."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dgplan_shared.db.uow import UnitOfWork
from gateway.governance.domain.definitions import WorkflowDefinition
from gateway.governance.events.payloads import iso
from gateway.governance.events.types import STAGE_ENTERED

# Stages where the body itself must act (an external stage waits for other systems' events).
WAITING_MODES = ("vote", "single", "revision")


async def publish_stage_entered(uow: UnitOfWork, definition: WorkflowDefinition, instance: dict[str, Any],
                                now: datetime) -> None:
    """``instance`` as it is after the move (its new stage, entry number and deadline)."""
    stage = definition.stage(instance["stage"]) if instance["status"] == "active" else None
    due = instance.get("stage_due_at")
    await uow.publish(STAGE_ENTERED, instance["id"], {
        "instance_id": instance["id"],
        "workflow": instance["workflow_key"],
        "definition_version": instance["definition_version"],
        "stage_entry": instance["stage_entry"],
        "stage": instance["stage"],
        "status": instance["status"],
        "mode": stage.mode if stage else None,
        "body": stage.body if stage else None,
        "waits_for_body": bool(stage and stage.mode in WAITING_MODES),
        "deadline": iso(due) if due is not None else None,
        "entered_at": iso(now),
        "plan_id": instance.get("plan_id"),
        "version_id": instance.get("version_id"),
        "round_id": instance.get("round_id"),
        "fiscal_year": instance.get("fiscal_year"),
    })
