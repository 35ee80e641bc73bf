"""The data of the events the engine produces (each checked against its schema in ``schemas/``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from gateway.governance.events.types import BY_SHORT_NAME


def iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def outcome_payload(
    short_name: str,
    instance: dict[str, Any],
    *,
    stage: str,
    body: str,
    decision: str,
    reason: str,
    observations: list[dict[str, Any]],
    next_stage: str,
    decided_at: datetime,
) -> tuple[str, str, dict[str, Any]]:
    """(event type, subject, data) for one emitted outcome."""
    event_type = BY_SHORT_NAME[short_name]
    common = {"instance_id": instance["id"], "body": body, "definition_version": instance["definition_version"]}
    if short_name.startswith("plan-approval."):
        plan = {"plan_id": instance["plan_id"], "version_id": instance["version_id"]}
        data: dict[str, Any] = {**common, **plan}
        if short_name == "plan-approval.stage-decided":
            data.update(
                stage=stage,
                decision=decision,
                reason=reason,
                observations=observations,
                next_stage=next_stage,
                decided_at=iso(decided_at),
            )
        elif short_name == "plan-approval.returned":
            data.update(reason=reason, stage=stage, resume_stage=instance.get("resume_stage"))
        elif short_name == "plan-approval.approved":
            data.update(decided_at=iso(decided_at), decision=decision)
        else:
            data.update(reason=reason)
        return event_type, instance["plan_id"], data
    data = {**common, "round_id": instance["round_id"], "reason": reason}
    if short_name == "budget-screening.package-approved":
        data.update(fiscal_year=instance["fiscal_year"], decided_at=iso(decided_at))
    return event_type, instance["round_id"], data
