"""Who is calling: roles, the agency a caller acts for, the bodies it is a member of (and those in
which it holds the office that records the body's resolutions), and the rules that refuse a caller
(401 anonymous, 403 never allowed). Pure: domain code may use it.
How the caller reaches a service is ``dgplan_contracts.assertion``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dgplan_shared.errors import ProblemError, forbidden


# Roles (coarse); scopes narrow them: an agency role acts only for its agency, a body member
# only for the bodies listed.
SECRETARIAT = "secretariat"
AGENCY = "agency"
BODY_MEMBER = "body_member"
OPERATOR = "operator"
PUBLIC = "public"
SERVICE = "service"  # another dgplan service acting on its own behalf (e.g. the governance engine)

ANONYMOUS_SUBJECT = "anonymous"  # the gateway forwards unauthenticated callers as this, role PUBLIC

# Who may see across agencies (every agency's proposals, unapproved data flagged as such).
OVERSIGHT_ROLES = (SECRETARIAT, OPERATOR, BODY_MEMBER, SERVICE)


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[str] = frozenset()
    agency: str | None = None
    bodies: frozenset[str] = frozenset()
    name: str | None = None
    # Bodies in which the caller is chair or secretary: the office that records the body's
    # resolutions (a decision of the body as a whole, taken at a meeting), not only a member's vote.
    offices: frozenset[str] = frozenset()
    extra: dict[str, Any] = field(default_factory=dict)

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def member_of(self, body: str) -> bool:
        return body in self.bodies

    def holds_office_in(self, body: str) -> bool:
        return body in self.offices and body in self.bodies

    def acts_for_agency(self, agency: str | None) -> bool:
        return agency is not None and self.agency == agency

    @property
    def is_anonymous(self) -> bool:
        return self.subject == ANONYMOUS_SUBJECT or self.roles <= {PUBLIC}

    @property
    def oversees(self) -> bool:
        return self.has(*OVERSIGHT_ROLES)


def unauthenticated(detail: str) -> ProblemError:
    return ProblemError(401, "unauthenticated", "Authentication required", detail, _headers={"WWW-Authenticate": "Bearer"})


def require_role(principal: Principal, *roles: str) -> None:
    """401 for an anonymous caller, 403 for an authenticated one without any of ``roles``."""
    if principal.has(*roles):
        return
    if principal.is_anonymous:
        raise unauthenticated("This operation needs an authenticated caller.")
    raise forbidden(f"This operation needs one of the roles: {', '.join(roles)}.")


def require_body_member(principal: Principal, body: str) -> None:
    """Only members of ``body`` act on the stages it owns."""
    if principal.is_anonymous:
        raise unauthenticated("This operation needs an authenticated caller.")
    if not principal.member_of(body):
        raise forbidden(f"Only members of {body} may do this.")


def require_body_office(principal: Principal, body: str) -> None:
    """Only the chair or the secretary of ``body`` records what the body resolved: a plain member
    takes part in the meeting but does not decide for the body alone."""
    require_body_member(principal, body)
    if not principal.holds_office_in(body):
        raise forbidden(f"Only the chair or the secretary of {body} records its resolutions.")
