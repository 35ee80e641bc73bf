"""The audit chain's store: appending after the locked head, in the caller's transaction (an
action and its entry commit together), reading entries in chain order, verifying page by page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.db.types import utcnow
from dgplan_shared.text import normalize_text
from gateway.governance.adapters.audit_tables import audit_head, audit_log
from gateway.governance.domain.audit_chain import GENESIS, ChainWalk, Verification, chained_entry

# Entries read per query when verifying: a long log never sits in memory whole.
PAGE = 1000


@dataclass(frozen=True)
class AuditFilter:
    """Who (actor), on what (target), which action, when (``since`` inclusive, ``until`` exclusive)."""

    target: str | None = None
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _text(value: str | None) -> str | None:
    return normalize_text(value) if value is not None else None


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def append(
        self,
        *,
        actor: str,
        acting_as: str,
        action: str,
        target: str,
        decision: str | None = None,
        reason: str | None = None,
        payload: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> dict[str, Any]:
        """Add one entry after the current head. The head row is locked: appends never interleave."""
        head = (
            await self.session.execute(
                select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1).with_for_update()
            )
        ).one()
        entry = chained_entry(
            int(head.seq),
            head.hash,
            {
                # Microseconds are what both databases keep: the stored value hashes the same.
                "at": at or utcnow(),
                "actor": _text(actor),
                "acting_as": _text(acting_as),
                "action": action,
                "target": target,
                "decision": decision,
                "reason": _text(reason),
                "payload": payload or {},
            },
        )
        await self.session.execute(insert(audit_log).values(**entry))
        await self.session.execute(
            update(audit_head).where(audit_head.c.id == 1).values(seq=entry["seq"], hash=entry["hash"])
        )
        return entry

    async def page(self, *, limit: int, after: int | None, where: AuditFilter) -> list[dict[str, Any]]:
        """``limit + 1`` entries in chain order after seq ``after``."""
        query = select(audit_log).order_by(audit_log.c.seq).limit(limit + 1)
        if after is not None:
            query = query.where(audit_log.c.seq > after)
        if where.target is not None:
            query = query.where(audit_log.c.target == where.target)
        if where.actor is not None:
            query = query.where(audit_log.c.actor == where.actor)
        if where.action is not None:
            query = query.where(audit_log.c.action == where.action)
        if where.since is not None:
            query = query.where(audit_log.c.at >= where.since)
        if where.until is not None:
            query = query.where(audit_log.c.at < where.until)
        return [dict(r) for r in (await self.session.execute(query)).mappings()]

    async def verify(self) -> Verification:
        head = (
            await self.session.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1))
        ).first()
        head_seq, head_hash = (int(head.seq), head.hash) if head else (0, GENESIS)
        hashes = set((await self.session.execute(select(audit_log.c.hash))).scalars())
        walk = ChainWalk(hashes, head_seq)
        after: int | None = None
        while True:
            query = select(audit_log).order_by(audit_log.c.seq).limit(PAGE)
            if after is not None:
                query = query.where(audit_log.c.seq > after)
            rows = (await self.session.execute(query)).mappings().all()
            for row in rows:
                if not walk.feed(row):
                    return walk.finish(head_hash)
            if len(rows) < PAGE:
                return walk.finish(head_hash)
            after = int(rows[-1]["seq"])
