"""Reading the audit log page by page (keyset on seq)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.problems import invalid
from gateway.governance.adapters.audit_tables import audit_log


async def list_entries(
    session: AsyncSession, *, limit: int, cursor: str | None, target: str | None, actor: str | None
) -> dict:
    query = select(audit_log).order_by(audit_log.c.seq).limit(limit + 1)
    if cursor is not None:
        if not re.fullmatch(r"[0-9]{1,18}", cursor):
            raise invalid("cursor", "not a cursor returned by this list")
        query = query.where(audit_log.c.seq > int(cursor))
    if target is not None:
        query = query.where(audit_log.c.target == target)
    if actor is not None:
        query = query.where(audit_log.c.actor == actor)
    rows = (await session.execute(query)).mappings().all()
    items = [
        {**dict(r), "at": r["at"].isoformat().replace("+00:00", "Z")} for r in rows[:limit]
    ]
    return {"items": items, "next_cursor": str(rows[limit - 1]["seq"]) if len(rows) > limit else None}
