"""Verifying the stored chain (the endpoint and the ``verify-audit`` command share this)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit.chain import GENESIS, Verification, verify_chain
from gateway.db.audit_tables import audit_head, audit_log


async def verify_stored_chain(session: AsyncSession) -> Verification:
    head = (await session.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1))).first()
    head_seq, head_hash = (int(head.seq), head.hash) if head else (0, GENESIS)
    rows = (await session.execute(select(audit_log).order_by(audit_log.c.seq))).mappings().all()
    return verify_chain([dict(r) for r in rows], head_seq, head_hash)
