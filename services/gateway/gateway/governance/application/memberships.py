"""Query: which bodies a subject belongs to, and in which it holds a resolving office (the edge
puts both in the forwarded identity, so a service can tell the chair or secretary who records a
body's resolution from a member who only votes)."""

from __future__ import annotations

from dgplan_shared.service import Runtime
from gateway.governance.adapters.bodies_repository import BodiesRepository
from gateway.governance.domain.authority import RESOLVING_ROLES


async def memberships_of(runtime: Runtime, subject: str) -> tuple[frozenset[str], frozenset[str]]:
    """``(bodies, offices)``: codes of the bodies in which ``subject`` (a client id or a user's
    ``sub``) is an active member, and the subset in which it is chair or secretary."""
    async with runtime.db.session() as session:
        roles = await BodiesRepository(session).roles_of(subject)
    return frozenset(roles), frozenset(body for body, role in roles.items() if role in RESOLVING_ROLES)

