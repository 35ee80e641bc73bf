"""The one inbox handler of every consumed event: the webhook fan-out and the e-mail notices,
both in the inbox's transaction."""

from __future__ import annotations

from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent
from notifications.application import fan_out, notice_intake


async def handle(uow: UnitOfWork, event: CloudEvent) -> None:
    await fan_out.handle(uow, event)  # first: it keeps the read models the notices use
    await notice_intake.handle(uow, event)
