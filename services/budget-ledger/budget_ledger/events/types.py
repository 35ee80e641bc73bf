"""CloudEvents types (see docs/contracts.md). Schemas of the ones we publish: ``schemas/<type>.json``."""

from __future__ import annotations

from pathlib import Path

ROUND_OPENED = "dgplan.budget-ledger.screening.round-opened.v1"
REQUEST_SUBMITTED = "dgplan.budget-ledger.screening.request-submitted.v1"
REQUEST_REVISED = "dgplan.budget-ledger.screening.request-revised.v1"
DECISION_RECORDED = "dgplan.budget-ledger.screening.decision-recorded.v1"
PACKAGE_SUBMITTED = "dgplan.budget-ledger.screening.package-submitted.v1"
ROUND_APPROVED = "dgplan.budget-ledger.screening.round-approved.v1"
ROUND_CLOSED = "dgplan.budget-ledger.screening.round-closed.v1"
RANKING_APPROVED = "dgplan.budget-ledger.screening.ranking-approved.v1"
ALLOCATION_POSTED = "dgplan.budget-ledger.budget.allocation-posted.v1"
COMMITMENT_POSTED = "dgplan.budget-ledger.budget.commitment-posted.v1"
DISBURSEMENT_POSTED = "dgplan.budget-ledger.budget.disbursement-posted.v1"
FRAMEWORK_RECONCILED = "dgplan.budget-ledger.budget.framework-reconciled.v1"

PUBLISHED = (
    ROUND_OPENED,
    REQUEST_SUBMITTED,
    REQUEST_REVISED,
    DECISION_RECORDED,
    PACKAGE_SUBMITTED,
    ROUND_APPROVED,
    ROUND_CLOSED,
    RANKING_APPROVED,
    ALLOCATION_POSTED,
    COMMITMENT_POSTED,
    DISBURSEMENT_POSTED,
    FRAMEWORK_RECONCILED,
)

# Consumed
PLAN_DRAFTED = "dgplan.plan-registry.plan.drafted.v1"
PLAN_STRUCTURE_PUBLISHED = "dgplan.plan-registry.plan.structure-published.v1"
PROJECT_REGISTERED = "dgplan.plan-registry.project.registered.v1"
PROJECT_CHANGED = "dgplan.plan-registry.project.changed.v1"
PACKAGE_APPROVED = "dgplan.gateway.budget-screening.package-approved.v1"
PACKAGE_RETURNED = "dgplan.gateway.budget-screening.package-returned.v1"

SUBSCRIPTIONS = ("plan-registry.plan.events", "plan-registry.project.events", "gateway.budget-screening.events")

STAGE_EVENTS = {"allocated": ALLOCATION_POSTED, "committed": COMMITMENT_POSTED, "disbursed": DISBURSEMENT_POSTED}

SCHEMA_DIR = Path(__file__).parent / "schemas"


def schema_path(event_type: str) -> Path:
    return SCHEMA_DIR / f"{event_type}.json"
