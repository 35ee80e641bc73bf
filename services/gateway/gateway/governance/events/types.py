"""The event types the engine consumes and produces (docs/contracts.md; schemas under ``schemas/``)."""

from __future__ import annotations

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
# Every entry into a stage (or an outcome), so that consumers (notifications) know which body a
# decision waits for, until when, and when it stops waiting; keyed by instance like stage-overdue.
STAGE_ENTERED = "dgplan.gateway.workflow.stage-entered.v1"
# Who belongs to which body, in which role: consumers keep their own copy (notifications tells a
# body's members that a decision waits for them) instead of asking the engine.
MEMBERSHIP_CHANGED = "dgplan.gateway.body.membership-changed.v1"

PRODUCED = (
    STAGE_DECIDED,
    PLAN_RETURNED,
    PLAN_APPROVED,
    PLAN_REJECTED,
    PACKAGE_APPROVED,
    PACKAGE_RETURNED,
    STAGE_OVERDUE,
    STAGE_ENTERED,
    MEMBERSHIP_CHANGED,
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
