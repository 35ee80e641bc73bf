"""Event types notifications consumes (every domain type in docs/events.md) and produces.

Consumers are tolerant readers: a type added later on a subscribed topic is still forwarded to
the endpoints that ask for it (see ``notifications.application.fan_out``); the list below is what
the catalogue shows.
"""

CONSUMED = (
    "dgplan.budget-ledger.budget.allocation-posted.v1",
    "dgplan.budget-ledger.budget.commitment-posted.v1",
    "dgplan.budget-ledger.budget.disbursement-posted.v1",
    "dgplan.budget-ledger.budget.framework-reconciled.v1",
    "dgplan.budget-ledger.screening.decision-recorded.v1",
    "dgplan.budget-ledger.screening.package-submitted.v1",
    "dgplan.budget-ledger.screening.request-revised.v1",
    "dgplan.budget-ledger.screening.request-submitted.v1",
    "dgplan.budget-ledger.screening.round-approved.v1",
    "dgplan.budget-ledger.screening.round-closed.v1",
    "dgplan.budget-ledger.screening.round-opened.v1",
    "dgplan.gateway.budget-screening.package-approved.v1",
    "dgplan.gateway.budget-screening.package-returned.v1",
    "dgplan.gateway.plan-approval.approved.v1",
    "dgplan.gateway.plan-approval.rejected.v1",
    "dgplan.gateway.plan-approval.returned.v1",
    "dgplan.gateway.plan-approval.stage-decided.v1",
    "dgplan.gateway.workflow.stage-overdue.v1",
    "dgplan.gateway.workflow.stage-entered.v1",
    "dgplan.gateway.body.membership-changed.v1",
    "dgplan.monitoring.evaluation.project-status-changed.v1",
    "dgplan.monitoring.progress.report-submitted.v1",
    "dgplan.plan-registry.agency.role-assigned.v1",
    "dgplan.plan-registry.observation.closed.v1",
    "dgplan.plan-registry.observation.raised.v1",
    "dgplan.plan-registry.observation.responded.v1",
    "dgplan.plan-registry.plan.drafted.v1",
    "dgplan.plan-registry.plan.structure-published.v1",
    "dgplan.plan-registry.plan.version-approved.v1",
    "dgplan.plan-registry.plan.version-created.v1",
    "dgplan.plan-registry.plan.version-submitted.v1",
    "dgplan.plan-registry.project.changed.v1",
    "dgplan.plan-registry.project.registered.v1",
)

SUBSCRIPTIONS = (
    "gateway.body.events",
    "budget-ledger.budget.events",
    "budget-ledger.screening.events",
    "gateway.budget-screening.events",
    "gateway.plan-approval.events",
    "gateway.workflow.events",
    "monitoring.evaluation.events",
    "monitoring.progress.events",
    "plan-registry.agency.events",
    "plan-registry.observation.events",
    "plan-registry.plan.events",
    "plan-registry.project.events",
)

# Read models: which agency a project or a request belongs to.
PROJECT_EVENTS = ("dgplan.plan-registry.project.registered.v1", "dgplan.plan-registry.project.changed.v1")
REQUEST_EVENTS = ("dgplan.budget-ledger.screening.request-submitted.v1",
                  "dgplan.budget-ledger.screening.request-revised.v1")

ENDPOINT_DISABLED = "dgplan.notifications.endpoint.disabled.v1"
PRODUCED = (ENDPOINT_DISABLED,)

# Sent only to the endpoint that asked for it (``POST .../test``), never on the bus.
TEST_EVENT = "dgplan.notifications.endpoint.test-requested.v1"

# E-mail notices to people (``notifications.application.notice_intake``).
STAGE_ENTERED = "dgplan.gateway.workflow.stage-entered.v1"
STAGE_OVERDUE = "dgplan.gateway.workflow.stage-overdue.v1"
MEMBERSHIP_CHANGED = "dgplan.gateway.body.membership-changed.v1"
REQUEST_STAGE_EVENTS = {
    "dgplan.budget-ledger.screening.request-submitted.v1": "submitted",
    "dgplan.budget-ledger.screening.request-revised.v1": "revised",
    "dgplan.budget-ledger.screening.decision-recorded.v1": "decided",
}
REPORT_STAGE_EVENTS = {"dgplan.monitoring.progress.report-submitted.v1": "report-submitted"}
