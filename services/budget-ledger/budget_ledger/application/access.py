"""Who may read and act (role and agency scope), for routes and use cases alike."""

from __future__ import annotations

from dgplan_contracts.identity import (
    AGENCY, BODY_MEMBER, OPERATOR, SECRETARIAT, SERVICE, Principal, forbidden, require_body_office, require_role,
)

SUBCOMMITTEE = "operations-budget-subcommittee"
READERS = (SECRETARIAT, BODY_MEMBER, OPERATOR, SERVICE, AGENCY)
OVERSIGHT = (SECRETARIAT, BODY_MEMBER, OPERATOR, SERVICE)


def require_reader(principal: Principal) -> None:
    require_role(principal, *READERS)


def agency_scope(principal: Principal) -> str | None:
    """An agency system sees only its own agency's money; None means no restriction."""
    if principal.has(*OVERSIGHT):
        return None
    if principal.agency is None:
        raise forbidden("An agency caller must carry its agency code.")
    return principal.agency


def require_oversight(principal: Principal) -> None:
    require_role(principal, *OVERSIGHT)


def require_scorer(principal: Principal) -> None:
    """Ranking scores are the secretariat's analysis or the subcommittee's own (its chair or
    secretary records them, as its decisions)."""
    if principal.has(SECRETARIAT):
        return
    require_body_office(principal, SUBCOMMITTEE)
