"""Rewrite every stored webhook secret under the newest key (the second half of a key rotation:
after it, the old key can be dropped from ``NOTIFICATIONS_SECRET_KEYS``)."""

from __future__ import annotations

from dataclasses import dataclass

from dgplan_shared.db.uow import UnitOfWork
from notifications.adapters.endpoint_repository import EndpointRepository
from notifications.adapters.secret_box import SecretBox


@dataclass(frozen=True)
class ReencryptSecrets:
    box: SecretBox


async def handle(command: ReencryptSecrets, uow: UnitOfWork) -> int:
    """How many secrets were rewritten."""
    repo = EndpointRepository(uow.session)
    stored = await repo.all_encrypted_secrets()
    for secret_id, sealed in stored:
        await repo.replace_encrypted_secret(secret_id, command.box.reseal(sealed))
    return len(stored)
