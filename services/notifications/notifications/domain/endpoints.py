"""Who may manage which webhook endpoints, and what an endpoint is scoped to.

An agency's system manages its own agency's endpoints, which receive that agency's events and
public ones. The secretariat and operators manage every endpoint; theirs receive every event,
unless they scope one to an agency on its behalf.
"""

from __future__ import annotations

from dgplan_contracts.identity import AGENCY, OPERATOR, SECRETARIAT, Principal, require_role
from dgplan_shared.errors import forbidden

MANAGERS = (SECRETARIAT, OPERATOR, AGENCY)
ACTIVE = "active"
DISABLED = "disabled"


def is_overseer(principal: Principal) -> bool:
    return principal.has(SECRETARIAT, OPERATOR)


def require_manager(principal: Principal) -> None:
    require_role(principal, *MANAGERS)
    if not is_overseer(principal) and not principal.agency:
        raise forbidden("An agency caller must act for an agency to manage webhooks.")


def scope_for_new_endpoint(principal: Principal, requested_agency: str | None) -> str | None:
    """The agency a new endpoint is scoped to (None: every agency)."""
    require_manager(principal)
    if is_overseer(principal):
        return requested_agency
    if requested_agency is not None and requested_agency != principal.agency:
        raise forbidden("An agency may subscribe only to its own agency's events.")
    return principal.agency


def may_see(principal: Principal, endpoint_agency: str | None) -> bool:
    """Whether the caller may see (and so manage) an endpoint; others get a 404, not a hint."""
    return is_overseer(principal) or (endpoint_agency is not None and endpoint_agency == principal.agency)
