"""How an instance moves, pure: the deadline of a stage it enters, the columns that change when
it enters a stage or an outcome, and the checks that a decision fits the stage it is taken at."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from dgplan_shared.errors import ProblemError, invalid
from gateway.governance.domain.definitions import Decision, Stage, WorkflowDefinition

BANGKOK = timezone(timedelta(hours=7))


def illegal(detail: str, **extensions: Any) -> ProblemError:
    """409: the request may be right in principle, not in the instance's current state."""
    return ProblemError(409, "illegal-transition", "Illegal transition", detail, **extensions)


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


def subject_of(instance: dict[str, Any]) -> str:
    """The audit target of an instance."""
    return f"instance:{instance['id']}"


def open_stage(
    definition: WorkflowDefinition, instance: dict[str, Any], expected_stage: str | None, modes: tuple[str, ...]
) -> Stage:
    """The current stage, if it is the one the caller means and it takes this kind of action."""
    if expected_stage is not None and expected_stage != instance["stage"]:
        raise illegal(
            f"the instance is at {instance['stage']}, not {expected_stage}", current_stage=instance["stage"]
        )
    stage = definition.stage(instance["stage"])
    if instance["status"] != "active" or stage is None:
        raise illegal(f"the workflow is {instance['status']} ({instance['stage']}): nothing to decide")
    if stage.mode not in modes:
        raise illegal(f"stage {stage.name} ({stage.mode}) does not take this action", current_stage=stage.name)
    return stage


def offered_decision(stage: Stage, name: str) -> Decision:
    decision = stage.decision(name)
    if decision is None:
        raise illegal(
            f"{name!r} is not a decision of stage {stage.name}", allowed=[d.name for d in stage.decisions]
        )
    return decision


def check_observations(decision: Decision, observations: list[dict[str, Any]]) -> None:
    if decision.observations == "required" and not observations:
        raise invalid("observations", f"decision {decision.name} needs at least one observation")
    if decision.observations == "none" and observations:
        raise invalid("observations", f"decision {decision.name} takes no observations")


def stored_observations(observations: tuple[dict, ...] | list[dict]) -> list[dict[str, Any]]:
    """Observations as stored: text already normalized by the wire model, outer spaces dropped."""
    return [
        {"text": {"th": o["text"]["th"].strip(), "en": o["text"]["en"].strip()}, "node_id": o.get("node_id")}
        for o in observations
    ]
