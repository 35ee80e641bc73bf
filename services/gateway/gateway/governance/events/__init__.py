"""The engine's event types and payloads (docs/contracts.md; schemas under ``events/schemas``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

PLAN_SUBMITTED = "dgplan.plan-registry.plan.version-submitted.v1"
OBSERVATION_RAISED = "dgplan.plan-registry.observation.raised.v1"
OBSERVATION_RESPONDED = "dgplan.plan-registry.observation.responded.v1"
OBSERVATION_CLOSED = "dgplan.plan-registry.observation.closed.v1"
ROUND_OPENED = "dgplan.budget-ledger.screening.round-opened.v1"
PACKAGE_SUBMITTED = "dgplan.budget-ledger.screening.package-submitted.v1"
ROUND_APPROVED = "dgplan.budget-ledger.screening.round-approved.v1"
ROUND_CLOSED = "dgplan.budget-ledger.screening.round-closed.v1"

STAGE_DECIDED = "dgplan.gateway.plan-approval.stage-decided.v1"
PLAN_RETURNED = "dgplan.gateway.plan-approval.returned.v1"
PLAN_APPROVED = "dgplan.gateway.plan-approval.approved.v1"
PLAN_REJECTED = "dgplan.gateway.plan-approval.rejected.v1"
PACKAGE_APPROVED = "dgplan.gateway.budget-screening.package-approved.v1"
PACKAGE_RETURNED = "dgplan.gateway.budget-screening.package-returned.v1"
STAGE_OVERDUE = "dgplan.gateway.workflow.stage-overdue.v1"

PRODUCED = (
    STAGE_DECIDED,
    PLAN_RETURNED,
    PLAN_APPROVED,
    PLAN_REJECTED,
    PACKAGE_APPROVED,
    PACKAGE_RETURNED,
    STAGE_OVERDUE,
)

# Short names a definition uses in ``emit`` -> event type.
BY_SHORT_NAME = {
    "plan-approval.stage-decided": STAGE_DECIDED,
    "plan-approval.returned": PLAN_RETURNED,
    "plan-approval.approved": PLAN_APPROVED,
    "plan-approval.rejected": PLAN_REJECTED,
    "budget-screening.package-approved": PACKAGE_APPROVED,
    "budget-screening.package-returned": PACKAGE_RETURNED,
}


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
