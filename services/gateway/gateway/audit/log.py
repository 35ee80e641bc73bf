"""Appending to the audit chain, in the caller's transaction (so an action and its entry commit together)."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.db.types import utcnow
from gateway.audit.chain import entry_hash, payload_hash
from gateway.governance.adapters.audit_tables import audit_head, audit_log


def _nfc(value: str | None) -> str | None:
    return unicodedata.normalize("NFC", value) if value is not None else None


async def append(
    session: AsyncSession,
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
        await session.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1).with_for_update())
    ).one()
    payload = payload or {}
    entry: dict[str, Any] = {
        "seq": int(head.seq) + 1,
        # Microseconds are what both databases keep: the stored value must hash the same.
        "at": (at or utcnow()),
        "actor": _nfc(actor),
        "acting_as": _nfc(acting_as),
        "action": action,
        "target": target,
        "decision": decision,
        "reason": _nfc(reason),
        "payload": payload,
        "payload_hash": payload_hash(payload),
        "prev_hash": head.hash,
    }
    entry["hash"] = entry_hash(entry)
    await session.execute(insert(audit_log).values(**entry))
    await session.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=entry["seq"], hash=entry["hash"]))
    return entry
