"""Coarse authorization at the edge (defence in depth): which roles may read or change what, by
route prefix. The services do the fine-grained part (an agency only its own projects, a body
member only the stages of its bodies); the edge turns away callers that have no business with a
whole area before any service is reached.

The table is declarative so the matrix test can walk every prefix against every role.
"""

from __future__ import annotations

from dataclasses import dataclass

from dgplan_contracts.identity import (
    AGENCY,
    ANONYMOUS_SUBJECT,
    BODY_MEMBER,
    OPERATOR,
    PUBLIC,
    SECRETARIAT,
    SERVICE,
    Principal,
)

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

EVERYONE = frozenset({PUBLIC, SECRETARIAT, AGENCY, BODY_MEMBER, OPERATOR, SERVICE})
SIGNED_IN = EVERYONE - {PUBLIC}
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    prefix: str
    read: frozenset[str]
    write: frozenset[str]
    why: str

    def matches(self, path: str) -> bool:
        """``prefix`` is a path of whole segments; a ``{name}`` segment stands for any one segment."""
        wanted = self.prefix.rstrip("/").split("/")
        given = path.split("/")
        return len(given) >= len(wanted) and all(
            w == g or (w.startswith("{") and w.endswith("}") and g != "") for w, g in zip(wanted, given)
        )

    def allowed(self, method: str) -> frozenset[str]:
        return self.read if method in READ_METHODS else self.write


def _roles(*roles: str) -> frozenset[str]:
    return frozenset(roles)


RULES: tuple[Rule, ...] = (
    Rule(
        "/api/v1/plans",
        EVERYONE,
        _roles(SECRETARIAT, SERVICE),
        "the public reads approved plans; the secretariat drafts and submits",
    ),
    Rule("/api/v1/agencies", EVERYONE, _roles(SECRETARIAT, SERVICE), "agency roles are public facts of the plan"),
    Rule("/api/v1/projects", EVERYONE, _roles(SECRETARIAT, AGENCY, SERVICE), "agencies register their own projects"),
    Rule(
        "/api/v1/frameworks",
        EVERYONE,
        _roles(SECRETARIAT, SERVICE),
        "national frameworks (the National Strategy...) are public reference data the secretariat loads",
    ),
    Rule(
        "/api/v1/observations",
        SIGNED_IN,
        _roles(SECRETARIAT, BODY_MEMBER, SERVICE),
        "bodies raise observations, the secretariat answers them",
    ),
    # Published figures inside signed-in areas: the ledger itself answers 404/401 for a round whose
    # results are not published, so the edge must not turn the public away first.
    Rule(
        "/api/v1/budget/frameworks/{plan_id}/reconciliation",
        EVERYONE,
        NOBODY,
        "budget frameworks are published plan figures",
    ),
    Rule(
        "/api/v1/screening/rounds/{round_id}/results",
        EVERYONE,
        NOBODY,
        "a closed round's published results are public",
    ),
    Rule(
        "/api/v1/screening/published-rounds",
        EVERYONE,
        NOBODY,
        "which rounds have published results is public (where to read them)",
    ),
    # The ledger gives the public only frameworks and published rounds' money, oversight roles more.
    Rule(
        "/api/v1/budget/open-data/fiscal-data-package",
        EVERYONE,
        NOBODY,
        "the open budget (a Fiscal Data Package) is published data",
    ),
    Rule(
        "/api/v1/budget",
        SIGNED_IN,
        _roles(SECRETARIAT, AGENCY, BODY_MEMBER, SERVICE),
        "money: agencies request and report, the secretariat posts",
    ),
    Rule(
        "/api/v1/screening",
        SIGNED_IN,
        _roles(SECRETARIAT, AGENCY, BODY_MEMBER, SERVICE),
        "the secretariat opens rounds, agencies submit requests, the subcommittee decides",
    ),
    Rule(
        "/api/v1/monitoring", EVERYONE, _roles(SECRETARIAT, AGENCY, SERVICE), "scorecards are public; agencies report"
    ),
    Rule(
        "/api/v1/webhooks",
        _roles(SECRETARIAT, AGENCY, OPERATOR),
        _roles(SECRETARIAT, AGENCY, OPERATOR),
        "agency systems subscribe to their own agency's events; the secretariat and operators to all",
    ),
    Rule(
        "/api/v1/governance",
        SIGNED_IN,
        _roles(SECRETARIAT, BODY_MEMBER, OPERATOR, SERVICE),
        "bodies decide their stages; operators manage bodies and workflow definitions",
    ),
    Rule(
        "/api/v1/audit",
        # Exactly the roles gateway/audit/routes.py lets in: a wider rule here would proxy body
        # members and services to a 403 from the service instead of refusing them at the edge.
        _roles(SECRETARIAT, OPERATOR),
        NOBODY,
        "the audit log (entries, verification) is for the secretariat and operators, and append-only",
    ),
    Rule("/api/v1/admin", _roles(OPERATOR), _roles(OPERATOR), "operators manage clients"),
    # A person's own notice settings fall under the signed-in rule below; the link in a mail must
    # work without signing in (the token it carries is the authority, checked by notifications).
    Rule(
        "/api/v1/notices/unsubscribe",
        EVERYONE,
        EVERYONE,
        "the unsubscribe link of a notice mail works without signing in",
    ),
    Rule("/api/v1", SIGNED_IN, SIGNED_IN, "anything else under the API needs a signed-in caller"),
)
"""Most specific first; paths outside ``/api/v1`` (token endpoint, discovery, docs, health) are open."""


def rule_for(path: str) -> Rule | None:
    for rule in RULES:
        if rule.matches(path):
            return rule
    return None


def is_anonymous(principal: Principal) -> bool:
    return principal.subject == ANONYMOUS_SUBJECT or principal.roles <= {PUBLIC}


def decide(method: str, path: str, principal: Principal) -> int | None:
    """None when the caller may go on; 401 when it must sign in first; 403 when signing in is not the issue."""
    rule = rule_for(path)
    if rule is None:
        return None
    allowed = rule.allowed(method)
    if PUBLIC in allowed or principal.roles & allowed:
        return None
    return 401 if is_anonymous(principal) else 403
