"""The ``body.membership-changed`` event, written beside every added or changed membership (the
operator's use cases and the seed), in the same transaction: the whole row as it now is, with
its revision, so a consumer keeps the newest and ignores a stale redelivery."""

from __future__ import annotations

from typing import Any

from dgplan_shared.db.uow import UnitOfWork
from gateway.governance.events.types import MEMBERSHIP_CHANGED


async def publish_membership(uow: UnitOfWork, row: dict[str, Any]) -> None:
    await uow.publish(MEMBERSHIP_CHANGED, f"{row['body_code']}:{row['subject']}", {
        "body": row["body_code"],
        "subject": row["subject"],
        "role": row["role"],
        "active": bool(row["active"]),
        "revision": row["version"],
    })
