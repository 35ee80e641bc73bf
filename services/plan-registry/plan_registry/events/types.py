"""Event types the registry publishes and consumes."""

PREFIX = "dgplan.plan-registry."
PLAN_DRAFTED = PREFIX + "plan.drafted.v1"
VERSION_CREATED = PREFIX + "plan.version-created.v1"
VERSION_SUBMITTED = PREFIX + "plan.version-submitted.v1"
VERSION_APPROVED = PREFIX + "plan.version-approved.v1"
STRUCTURE_PUBLISHED = PREFIX + "plan.structure-published.v1"
PROJECT_REGISTERED = PREFIX + "project.registered.v1"
PROJECT_CHANGED = PREFIX + "project.changed.v1"
PROJECT_REMOVED = PREFIX + "project.removed.v1"
ROLE_ASSIGNED = PREFIX + "agency.role-assigned.v1"
OBSERVATION_RAISED = PREFIX + "observation.raised.v1"
OBSERVATION_RESPONDED = PREFIX + "observation.responded.v1"
OBSERVATION_CLOSED = PREFIX + "observation.closed.v1"

PUBLISHED_TYPES = (
    PLAN_DRAFTED, VERSION_CREATED, VERSION_SUBMITTED, VERSION_APPROVED, STRUCTURE_PUBLISHED,
    PROJECT_REGISTERED, PROJECT_CHANGED, PROJECT_REMOVED, ROLE_ASSIGNED, OBSERVATION_RAISED, OBSERVATION_RESPONDED, OBSERVATION_CLOSED,
)

GATEWAY = "dgplan.gateway.plan-approval."
STAGE_DECIDED = GATEWAY + "stage-decided.v1"
RETURNED = GATEWAY + "returned.v1"
APPROVED = GATEWAY + "approved.v1"
REJECTED = GATEWAY + "rejected.v1"
GOVERNANCE_TOPIC = "gateway.plan-approval.events"
