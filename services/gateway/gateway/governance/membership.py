"""Which bodies a subject belongs to: the edge puts them in the forwarded identity."""

from dgplan_shared.service import Runtime


async def bodies_for_subject(runtime: Runtime, subject: str) -> frozenset[str]:
    """Codes of the bodies in which ``subject`` (a client id or a user's ``sub``) is a member."""
    return frozenset()
