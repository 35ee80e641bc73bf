"""Which bodies a subject belongs to: the edge puts them in the forwarded identity."""

from sqlalchemy import select

from dgplan_shared.service import Runtime
from gateway.governance.adapters.tables import gov_members


async def bodies_for_subject(runtime: Runtime, subject: str) -> frozenset[str]:
    """Codes of the bodies in which ``subject`` (a client id or a user's ``sub``) is a member."""
    async with runtime.db.session() as session:
        rows = await session.execute(
            select(gov_members.c.body_code).where(gov_members.c.subject == subject, gov_members.c.active.is_(True))
        )
        return frozenset(rows.scalars())
