"""Event types monitoring consumes (per docs/contracts.md) and produces."""

PLAN_DRAFTED = "dgplan.plan-registry.plan.drafted.v1"
PLAN_VERSION_APPROVED = "dgplan.plan-registry.plan.version-approved.v1"
PLAN_STRUCTURE_PUBLISHED = "dgplan.plan-registry.plan.structure-published.v1"
PROJECT_REGISTERED = "dgplan.plan-registry.project.registered.v1"
PROJECT_CHANGED = "dgplan.plan-registry.project.changed.v1"
ALLOCATION_POSTED = "dgplan.budget-ledger.budget.allocation-posted.v1"
COMMITMENT_POSTED = "dgplan.budget-ledger.budget.commitment-posted.v1"
DISBURSEMENT_POSTED = "dgplan.budget-ledger.budget.disbursement-posted.v1"

BUDGET_KINDS = {
    ALLOCATION_POSTED: "allocation",
    COMMITMENT_POSTED: "commitment",
    DISBURSEMENT_POSTED: "disbursement",
}

CONSUMED = (
    PLAN_DRAFTED,
    PLAN_VERSION_APPROVED,
    PLAN_STRUCTURE_PUBLISHED,
    PROJECT_REGISTERED,
    PROJECT_CHANGED,
    *BUDGET_KINDS,
)

SUBSCRIPTIONS = ("plan-registry.plan.events", "plan-registry.project.events", "budget-ledger.budget.events")

REPORT_SUBMITTED = "dgplan.monitoring.progress.report-submitted.v1"
PROJECT_STATUS_CHANGED = "dgplan.monitoring.evaluation.project-status-changed.v1"
PRODUCED = (REPORT_SUBMITTED, PROJECT_STATUS_CHANGED)
