"""Who may call what: the declarative table the authorization matrix walks (and the bad-input
catalogue uses to pick a caller that gets past authorization).

Keyed by "METHOD /path/template" exactly as the gateway's merged OpenAPI document names the
operation. Resources named in paths are MOF's wherever an agency owns them (see security_world).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from security_suite import ROLES  # type: ignore[import-not-found]

ANON = "anonymous"
SEC, OP = "secretariat", "operator"
MOF, OPDC = "agency-MOF", "agency-OPDC"
DGC, OBS, NESDC, CAB = "committee", "subcommittee", "nesdc", "cabinet"
BODIES = frozenset({DGC, OBS, NESDC, CAB})
ALL = frozenset(r.name for r in ROLES)
SIGNED_IN = ALL - {ANON}
STAGE_OWNER = "stage-owner"  # resolved to the role whose body owns the instance's current stage

# Roles are called in this order so that callers expected to be refused go before those whose
# call may change the resource (a deleted node must not turn a later 403 into a 404).
CALL_ORDER = (ANON, NESDC, CAB, DGC, OBS, OPDC, MOF, OP, SEC)


@dataclass(frozen=True)
class Rule:
    allow: frozenset[str]
    # Roles that must not see the resource at all: 403 or 404 are both right (hiding it is fine).
    hidden: frozenset[str] = field(default_factory=frozenset)
    # Routes anyone may call (no 401/403 for anyone), whatever their answer.
    public: bool = False
    # Roles that may do this at another stage of the workflow: 409 "not now", not 403 "never"
    # (the governance engine's status rule; the stage owner among them is simply allowed).
    not_now: frozenset[str] = field(default_factory=frozenset)


def allow(*roles: str | frozenset[str], hidden: tuple[str, ...] = (), not_now: tuple[str, ...] = ()) -> Rule:
    names: set[str] = set()
    for r in roles:
        names |= set(r) if isinstance(r, frozenset) else {r}
    return Rule(frozenset(names), frozenset(hidden), not_now=frozenset(not_now))


PUBLIC = Rule(ALL, public=True)

EXPECTED: dict[str, Rule] = {
    # gateway edge
    "GET /healthz": PUBLIC,
    "GET /readyz": PUBLIC,
    "GET /metrics": PUBLIC,
    "GET /.well-known/jwks.json": PUBLIC,
    "GET /.well-known/openid-configuration": PUBLIC,
    "POST /oauth2/token": PUBLIC,  # the client's own credentials decide (401 invalid_client without them)
    # the console's sign-in page and form: the person's credentials decide
    "GET /oauth2/authorize": PUBLIC,
    "POST /oauth2/authorize": PUBLIC,
    "GET /api/v1/admin/clients": allow(OP),
    "GET /api/v1/admin/clients/{client_id}": allow(OP),
    "POST /api/v1/admin/clients": allow(OP),
    "PATCH /api/v1/admin/clients/{client_id}": allow(OP),
    "POST /api/v1/admin/clients/{client_id}/secret": allow(OP),
    # governance engine and audit
    "GET /api/v1/governance/inbox": allow(SIGNED_IN),
    "GET /api/v1/governance/instances": allow(SIGNED_IN),
    "GET /api/v1/governance/instances/{instance_id}": allow(SIGNED_IN),
    "GET /api/v1/governance/instances/{instance_id}/history": allow(SIGNED_IN),
    "GET /api/v1/governance/history": allow(SIGNED_IN),
    # plan approval: the committee votes (its chair also records its resolution), NESDC and the
    # Cabinet decide as one, each at its own stage
    "POST /api/v1/governance/instances/{instance_id}/votes": allow(STAGE_OWNER, not_now=(DGC,)),
    "POST /api/v1/governance/instances/{instance_id}/decisions": allow(STAGE_OWNER, not_now=(DGC, NESDC, CAB)),
    "GET /api/v1/governance/bodies": allow(SIGNED_IN),
    "POST /api/v1/governance/bodies": allow(OP),
    "GET /api/v1/governance/bodies/{code}": allow(SIGNED_IN),
    "PATCH /api/v1/governance/bodies/{code}": allow(OP),
    "GET /api/v1/governance/bodies/{code}/members/{subject}": allow(SIGNED_IN),
    "PATCH /api/v1/governance/bodies/{code}/members/{subject}": allow(OP),
    "POST /api/v1/governance/bodies/{code}/members": allow(OP),
    "GET /api/v1/governance/workflows": allow(SIGNED_IN),
    "GET /api/v1/governance/workflows/schema": allow(SIGNED_IN),
    "POST /api/v1/governance/workflows/{key}/versions": allow(OP),
    "GET /api/v1/audit/verify": allow(SEC, OP),
    "GET /api/v1/audit/entries": allow(SEC, OP),
    # budget ledger: an agency sees its own money only; MOF posts on its own project
    "POST /api/v1/budget/postings": allow(MOF),
    "POST /api/v1/budget/postings/batch": allow(MOF),
    "GET /api/v1/budget/entries": allow(SIGNED_IN),
    "GET /api/v1/budget/entries/{entry_id}": allow(SIGNED_IN - {MOF, OPDC}, hidden=(MOF, OPDC)),  # a plan-level entry
    "GET /api/v1/budget/balances": allow(SIGNED_IN),
    "POST /api/v1/budget/frameworks/import": allow(SEC),
    "GET /api/v1/budget/frameworks/{plan_id}/reconciliation": PUBLIC,  # published plan figures
    # the open budget: frameworks and published rounds for all, more for oversight (the ledger decides)
    "GET /api/v1/budget/open-data/fiscal-data-package": PUBLIC,
    "POST /api/v1/screening/rounds": allow(SEC),
    "GET /api/v1/screening/rounds": allow(SIGNED_IN),
    "GET /api/v1/screening/rounds/{round_id}": allow(SIGNED_IN),
    "POST /api/v1/screening/rounds/{round_id}/requests": allow(MOF, hidden=(OPDC,)),
    "GET /api/v1/screening/rounds/{round_id}/requests": allow(SIGNED_IN),
    "GET /api/v1/screening/requests/{request_id}": allow(SIGNED_IN - {OPDC}, hidden=(OPDC,)),
    "POST /api/v1/screening/requests/{request_id}/revision": allow(MOF, hidden=(OPDC,)),
    "POST /api/v1/screening/requests/{request_id}/decisions": allow(OBS),
    "POST /api/v1/screening/rounds/{round_id}/package": allow(OBS),
    "POST /api/v1/screening/rounds/{round_id}/close": allow(SEC),
    "GET /api/v1/screening/rounds/{round_id}/status": allow(SEC, OP, BODIES),
    # the priority ranking: criteria are the secretariat's, scores its or the subcommittee's
    # (its chair or secretary), the ranking read like the status
    "PUT /api/v1/screening/rounds/{round_id}/ranking/criteria": allow(SEC),
    "PUT /api/v1/screening/rounds/{round_id}/ranking/scores": allow(SEC, OBS),
    "GET /api/v1/screening/rounds/{round_id}/ranking": allow(SEC, OP, BODIES),
    "GET /api/v1/screening/rounds/{round_id}/status/{dimension}": allow(SEC, OP, BODIES),
    # public once the round is closed and published; the world's round is still open
    "GET /api/v1/screening/rounds/{round_id}/results": allow(SEC, OP, BODIES),
    "GET /api/v1/screening/published-rounds": PUBLIC,  # where published results are; not who worked on them
    # spreadsheet exchange: the same rules as the JSON of the same data (an agency's own requests
    # and money only; the status for oversight); the import as a single request's submission
    "GET /api/v1/screening/rounds/{round_id}/exports/requests": allow(SIGNED_IN),
    "GET /api/v1/screening/rounds/{round_id}/exports/requests-template": allow(SIGNED_IN),
    "GET /api/v1/screening/rounds/{round_id}/exports/status": allow(SEC, OP, BODIES),
    "GET /api/v1/budget/exports/balances": allow(SIGNED_IN),
    "POST /api/v1/screening/rounds/{round_id}/requests/import": allow(MOF, hidden=(OPDC,)),
    # monitoring: indicators are public unless they measure a project the caller may not see;
    # reports belong to their project's agencies
    "POST /api/v1/monitoring/indicators": allow(SEC),
    "GET /api/v1/monitoring/indicators": PUBLIC,
    # the world's indicator measures MOF's proposed (unapproved) project: hidden like the project
    "GET /api/v1/monitoring/indicators/{indicator_id}": allow(SIGNED_IN - {OPDC}, hidden=(ANON, OPDC)),
    "PUT /api/v1/monitoring/indicators/{indicator_id}": allow(SEC),
    "POST /api/v1/monitoring/indicators/{indicator_id}/actuals": allow(SEC),
    "GET /api/v1/monitoring/indicators/{indicator_id}/actuals": allow(SIGNED_IN - {OPDC}, hidden=(ANON, OPDC)),
    "POST /api/v1/monitoring/progress-reports": allow(MOF, hidden=(OPDC,)),
    "GET /api/v1/monitoring/progress-reports": allow(SIGNED_IN),
    "GET /api/v1/monitoring/progress-reports/{report_id}": allow(SIGNED_IN - {OPDC}, hidden=(OPDC,)),
    "GET /api/v1/monitoring/evaluation-rules": PUBLIC,
    "GET /api/v1/monitoring/projects": allow(SIGNED_IN),  # agencies get their own projects only
    "GET /api/v1/monitoring/projects/{project_id}/evaluation": allow(SIGNED_IN - {OPDC}, hidden=(OPDC,)),
    # the seed plan is approved: its scorecard and reports are public
    "GET /api/v1/monitoring/plans/{plan_id}/scorecard": PUBLIC,
    "GET /api/v1/monitoring/reports/mid-year": PUBLIC,
    "GET /api/v1/monitoring/reports/year-end": PUBLIC,
    "GET /api/v1/monitoring/budget-execution": allow(SIGNED_IN),
    "GET /api/v1/monitoring/reports/alignment": PUBLIC,  # the plan is approved
    # the world's projects are a draft's: their line across plans is for oversight and their agency
    "GET /api/v1/monitoring/projects/{project_id}/continuity": allow(SIGNED_IN - {OPDC}, hidden=(ANON, OPDC)),
    # plan registry: the secretariat edits plans; agencies register and change projects they lead
    "POST /api/v1/plans": allow(SEC),
    "GET /api/v1/plans": PUBLIC,
    "POST /api/v1/plans/import": allow(SEC),
    "GET /api/v1/plans/{plan_id}": PUBLIC,
    "PATCH /api/v1/plans/{plan_id}": allow(SEC),
    "GET /api/v1/plans/{plan_id}/completeness": PUBLIC,
    "GET /api/v1/plans/{plan_id}/diff": allow(SIGNED_IN),  # compares with a draft version
    "GET /api/v1/plans/{plan_id}/export": allow(SEC, OP),
    "GET /api/v1/plans/{plan_id}/export/open-data": PUBLIC,
    "GET /api/v1/plans/{plan_id}/versions": PUBLIC,
    "POST /api/v1/plans/{plan_id}/versions": allow(SEC),
    "GET /api/v1/plans/{plan_id}/versions/{version_id}": allow(SIGNED_IN),  # a draft version
    "GET /api/v1/plans/{plan_id}/versions/{version_id}/document": allow(SIGNED_IN),  # a draft version
    "POST /api/v1/plans/{plan_id}/versions/{version_id}/submit": allow(SEC),
    "GET /api/v1/plans/{plan_id}/versions/{version_id}/nodes": allow(SIGNED_IN),
    "POST /api/v1/plans/{plan_id}/versions/{version_id}/nodes": allow(SEC),
    # the scratch node of a draft names no agency: agencies do not see it
    "GET /api/v1/plans/{plan_id}/versions/{version_id}/nodes/{node_id}": allow(SIGNED_IN - {MOF, OPDC}, hidden=(MOF, OPDC)),
    "PATCH /api/v1/plans/{plan_id}/versions/{version_id}/nodes/{node_id}": allow(SEC),
    "DELETE /api/v1/plans/{plan_id}/versions/{version_id}/nodes/{node_id}": allow(SEC),
    "POST /api/v1/plans/{plan_id}/versions/{version_id}/nodes/{node_id}/roles": allow(SEC),
    "GET /api/v1/projects": PUBLIC,
    "POST /api/v1/projects": allow(SEC, MOF, hidden=(OPDC,)),  # the body names MOF as lead
    # MOF's proposed project (in a draft) is not public yet: anonymous callers and OPDC do not see it
    "GET /api/v1/projects/{project_id}": allow(SIGNED_IN - {OPDC}, hidden=(ANON, OPDC)),
    "PATCH /api/v1/projects/{project_id}": allow(SEC, MOF, hidden=(OPDC,)),
    "GET /api/v1/agencies": PUBLIC,
    "POST /api/v1/agencies": allow(SEC),
    "GET /api/v1/agencies/{code}": PUBLIC,
    "PATCH /api/v1/agencies/{code}": allow(SEC),
    "GET /api/v1/frameworks": PUBLIC,
    "GET /api/v1/frameworks/{code}": PUBLIC,
    "PUT /api/v1/frameworks/{code}": allow(SEC),
    "POST /api/v1/plans/{plan_id}/versions/{version_id}/observations": allow(SEC),
    "GET /api/v1/observations": allow(SIGNED_IN),
    "GET /api/v1/observations/{observation_id}": allow(SIGNED_IN),
    "POST /api/v1/observations/{observation_id}/responses": allow(SEC),
    # the seed observation was raised by NESDC: the secretariat or NESDC settles it
    "POST /api/v1/observations/{observation_id}/resolution": allow(SEC, NESDC),
    "POST /api/v1/observations/{observation_id}/close": allow(SEC, NESDC),
    "GET /api/v1/observations/{observation_id}/history": allow(SIGNED_IN),
    # notifications: agencies manage their own webhook endpoints, the secretariat and operators all;
    # committees have no endpoints to manage. The endpoint in the paths is MOF's.
    "POST /api/v1/webhooks/endpoints": allow(SEC, OP, MOF, OPDC),
    "GET /api/v1/webhooks/endpoints": allow(SEC, OP, MOF, OPDC),
    **{
        f"{method} /api/v1/webhooks/endpoints/{{endpoint_id}}{tail}": allow(SEC, OP, MOF, hidden=(OPDC,))
        for method, tail in (
            ("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "/secret/rotate"), ("POST", "/test"),
            ("GET", "/deliveries"), ("GET", "/deliveries/{delivery_id}"),
            ("POST", "/deliveries/{delivery_id}/replay"), ("POST", "/replay"),
        )
    },
    # notifications: every signed-in person keeps their own notice settings (nobody else's); the
    # unsubscribe link of a mail works without signing in (its token decides).
    "GET /api/v1/notices/me": allow(SIGNED_IN),
    "PUT /api/v1/notices/me": allow(SIGNED_IN),
    "PUT /api/v1/notices/me/preferences/{kind}": allow(SIGNED_IN),
    "GET /api/v1/notices/me/mails": allow(SIGNED_IN),
    "GET /api/v1/notices/unsubscribe": PUBLIC,
    "POST /api/v1/notices/unsubscribe": PUBLIC,
}

def owner_role(stage_body: str) -> str:
    """The role whose body owns a workflow stage."""
    by_body = {"digital-government-committee": DGC, "operations-budget-subcommittee": OBS, "nesdc": NESDC, "cabinet": CAB}
    return by_body[stage_body]


def acting_role(operation: str, stage_body: str) -> str:
    """A caller the table allows for ``operation`` (the one bad input is sent as)."""
    rule = EXPECTED[operation]
    if rule.public:
        return SEC
    for role in (SEC, OP, MOF, OBS, DGC, NESDC, CAB, OPDC):
        if role in rule.allow:
            return role
    assert STAGE_OWNER in rule.allow, operation
    return owner_role(stage_body)
