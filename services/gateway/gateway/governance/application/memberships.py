"""Query: which bodies a subject belongs to (the edge puts them in the forwarded identity)."""

from __future__ import annotations

from dgplan_shared.service import Runtime
from gateway.governance.adapters.bodies_repository import BodiesRepository


async def bodies_for_subject(runtime: Runtime, subject: str) -> frozenset[str]:
    """Codes of the bodies in which ``subject`` (a client id or a user's ``sub``) is an active member."""
    async with runtime.db.session() as session:
        return frozenset(await BodiesRepository(session).roles_of(subject))
