"""Verifying the stored chain (the endpoint and the ``verify-audit`` command share this)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit.chain import GENESIS, ChainWalk, Verification
from gateway.governance.adapters.audit_tables import audit_head, audit_log

PAGE = 1000


async def verify_stored_chain(session: AsyncSession) -> Verification:
    head = (await session.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1))).first()
    head_seq, head_hash = (int(head.seq), head.hash) if head else (0, GENESIS)
    hashes = set((await session.execute(select(audit_log.c.hash))).scalars())
    walk = ChainWalk(hashes, head_seq)
    after: int | None = None
    while True:
        query = select(audit_log).order_by(audit_log.c.seq).limit(PAGE)
        if after is not None:
            query = query.where(audit_log.c.seq > after)
        rows = (await session.execute(query)).mappings().all()
        for row in rows:
            if not walk.feed(row):
                return walk.finish(head_hash)
        if len(rows) < PAGE:
            return walk.finish(head_hash)
        after = int(rows[-1]["seq"])
