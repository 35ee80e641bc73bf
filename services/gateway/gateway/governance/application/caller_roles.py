"""The bodies a caller acts for, and in which role: what the identity says (the edge's view of
memberships, possibly a few seconds old) confirmed by the active memberships stored now."""

from __future__ import annotations

from dgplan_contracts.identity import Principal, unauthenticated
from gateway.governance.application.repositories import Repositories


async def caller_roles(repos: Repositories, principal: Principal) -> dict[str, str]:
    if principal.is_anonymous:
        raise unauthenticated("This operation needs an authenticated caller.")
    stored = await repos.bodies.roles_of(principal.subject)
    return {body: role for body, role in stored.items() if principal.member_of(body)}

