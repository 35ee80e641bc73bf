"""Use case: an operator gives a client a new secret (shown once; the old one stops working)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import conflict, not_found
from gateway.edge.adapters.clients_repository import get_client, update_client
from gateway.edge.application.client_views import with_secret_salt
from gateway.edge.domain.secrets_hashing import SecretMaker, hash_secret


@dataclass(frozen=True)
class RotateSecret:
    client_id: str
    secrets: SecretMaker = field(repr=False, compare=False)


async def handle(command: RotateSecret, uow: UnitOfWork) -> dict[str, Any]:
    client = await get_client(uow.session, command.client_id)
    if client is None:
        raise not_found("client", command.client_id)
    salt = command.secrets.new_salt()
    hashed = await asyncio.to_thread(hash_secret, command.secrets.secret(salt))
    if not await update_client(uow.session, client, secret_hash=hashed):
        raise conflict("client-changed", "The client changed meanwhile; retry.")
    client = await get_client(uow.session, command.client_id)
    assert client is not None
    return with_secret_salt(client, salt)
