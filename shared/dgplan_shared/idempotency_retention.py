"""How long a service remembers Idempotency-Keys, and the purge that forgets older ones.

Every POST that creates something or posts money stores its key and answer, one row per request;
kept forever, those tables only grow. A retry comes within minutes or hours (a client that lost
an answer, a gateway retrying a dropped connection), never a month later, so keys older than
``<PREFIX>_IDEMPOTENCY_KEY_RETENTION_DAYS`` (30 by default) are deleted by the built-in
``purge-idempotency-keys`` command, which the deployment runs daily. A request repeating a purged
key is treated as new: that is the documented limit of the guarantee.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Table, delete, select, tuple_

from dgplan_shared.db.engine import Database
from dgplan_shared.db.types import utcnow

# Deleting in slices keeps each transaction short: a purge never holds long locks over a table
# that live requests write to.
PURGE_SLICE = 5000


async def purge_table(db: Database, table: Table, cutoff: datetime) -> int:
    """Delete the rows of ``table`` created before ``cutoff``; how many were deleted."""
    key = list(table.primary_key.columns)
    deleted = 0
    while True:
        async with db.session() as session, session.begin():
            victims = (await session.execute(
                select(*key).where(table.c.created_at < cutoff).limit(PURGE_SLICE)
            )).all()
            if victims:
                await session.execute(delete(table).where(tuple_(*key).in_([tuple(row) for row in victims])))
        deleted += len(victims)
        if len(victims) < PURGE_SLICE:
            return deleted


async def purge_expired_keys(db: Database, tables: tuple[Table, ...], retention_days: int) -> dict[str, int]:
    """Per table, how many keys older than ``retention_days`` were deleted."""
    cutoff = utcnow() - timedelta(days=retention_days)
    return {table.name: await purge_table(db, table, cutoff) for table in tables}
