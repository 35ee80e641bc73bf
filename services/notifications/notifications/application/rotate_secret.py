"""A new signing secret, shown once; the old one keeps signing (beside the new) for the overlap,
so the receiver can switch without losing a delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid
from notifications.adapters.endpoint_repository import EndpointRepository
from notifications.adapters.secret_box import SecretBox
from notifications.adapters.signing import new_secret
from notifications.application.endpoint_access import visible_endpoint


@dataclass(frozen=True)
class RotateSecret:
    principal: Principal
    endpoint_id: str
    overlap_seconds: int
    max_overlap_seconds: int
    box: SecretBox


@dataclass(frozen=True)
class RotatedSecret:
    endpoint_id: str
    secret: str
    previous_secret_expires_at: datetime


async def handle(command: RotateSecret, uow: UnitOfWork) -> RotatedSecret:
    if not 0 <= command.overlap_seconds <= command.max_overlap_seconds:
        raise invalid("overlap_seconds", f"between 0 and {command.max_overlap_seconds}")
    repo = EndpointRepository(uow.session)
    endpoint = await visible_endpoint(repo, command.principal, command.endpoint_id, for_update=True)
    now = utcnow()
    expires = now + timedelta(seconds=command.overlap_seconds)
    await repo.expire_current_secrets(endpoint.id, expires)
    secret = new_secret()
    await repo.add_secret(endpoint.id, command.box.seal(secret), now)
    return RotatedSecret(endpoint.id, secret, expires)
