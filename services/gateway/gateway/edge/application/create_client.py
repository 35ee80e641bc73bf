"""Use case: an operator registers a client of the built-in issuer (its secret shown once)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import conflict
from gateway.edge.adapters.clients_repository import get_client, insert_client
from gateway.edge.application.client_views import with_secret_salt
from gateway.edge.domain.client_rules import check_client_id, check_roles_and_agency, clean_name
from gateway.edge.domain.secrets_hashing import SecretMaker, hash_secret


@dataclass(frozen=True)
class CreateClient:
    client_id: str
    name: str
    roles: list[str]
    agency: str | None
    secrets: SecretMaker = field(repr=False, compare=False)


async def handle(command: CreateClient, uow: UnitOfWork) -> dict[str, Any]:
    check_client_id(command.client_id)
    name = clean_name(command.name)
    roles = check_roles_and_agency(command.roles, command.agency)
    if await get_client(uow.session, command.client_id) is not None:
        raise conflict("client-exists", f"A client {command.client_id!r} already exists.")
    salt = command.secrets.new_salt()
    # scrypt is deliberately slow: keep it off the event loop.
    hashed = await asyncio.to_thread(hash_secret, command.secrets.secret(salt))
    await insert_client(
        uow.session, client_id=command.client_id, name=name, secret_hash=hashed, roles=roles, agency=command.agency
    )
    client = await get_client(uow.session, command.client_id)
    assert client is not None
    return with_secret_salt(client, salt)
