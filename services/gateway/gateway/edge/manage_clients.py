"""Use cases of operators managing the built-in issuer's clients: create, change, rotate a secret.
Each commits its own transaction; retries with the same Idempotency-Key return the same result
(the secret is re-derived from a stored salt, never stored)."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from dgplan_shared.db.engine import Database
from dgplan_shared.problems import ProblemError, conflict, not_found
from gateway.edge import idempotency
from gateway.edge.client_rules import check_client_id, check_roles_and_agency, clean_name
from gateway.edge.clients_repository import Client, get_client, insert_client, update_client
from gateway.edge.secrets_hashing import derive_secret, hash_secret


@dataclass(frozen=True)
class NewClient:
    client_id: str
    name: str
    roles: list[str]
    agency: str | None


async def create_client(
    db: Database, server_key: str, actor: str, key: str, new: NewClient
) -> tuple[Client, str, bool]:
    """(client, plain secret, created now?)."""
    check_client_id(new.client_id)
    new = NewClient(new.client_id, clean_name(new.name), new.roles, new.agency)
    roles = check_roles_and_agency(new.roles, new.agency)
    operation = "create-client"
    print_ = idempotency.fingerprint(operation, new.__dict__)
    for attempt in range(2):
        async with db.session() as session:
            earlier = await idempotency.find(session, actor, key, operation, print_)
            if earlier is not None:
                client = await get_client(session, earlier.resource_id)
                if client is None:  # pragma: no cover - clients are never deleted
                    raise not_found("client", earlier.resource_id)
                return client, derive_secret(server_key, earlier.secret_salt or ""), False
            if await get_client(session, new.client_id) is not None:
                raise conflict("client-exists", f"A client {new.client_id!r} already exists.")
            salt = secrets.token_hex(16)
            secret = derive_secret(server_key, salt)
            hashed = await asyncio.to_thread(hash_secret, secret)
            try:
                await insert_client(
                    session, client_id=new.client_id, name=new.name, secret_hash=hashed, roles=roles, agency=new.agency
                )
                await idempotency.remember(
                    session, actor, key, idempotency.Record(operation, print_, new.client_id, salt)
                )
                await session.commit()
            except IntegrityError:
                await session.rollback()
                if attempt:
                    raise
                continue  # a concurrent twin won: answer from its record (or report the clash)
            client = await get_client(session, new.client_id)
            assert client is not None
            return client, secret, True
    raise AssertionError("unreachable")  # pragma: no cover


async def rotate_secret(db: Database, server_key: str, actor: str, key: str, client_id: str) -> tuple[Client, str]:
    operation = "rotate-secret"
    print_ = idempotency.fingerprint(operation, {"client_id": client_id})
    async with db.session() as session:
        earlier = await idempotency.find(session, actor, key, operation, print_)
        client = await get_client(session, client_id)
        if client is None:
            raise not_found("client", client_id)
        if earlier is not None:
            return client, derive_secret(server_key, earlier.secret_salt or "")
        salt = secrets.token_hex(16)
        secret = derive_secret(server_key, salt)
        hashed = await asyncio.to_thread(hash_secret, secret)
        if not await update_client(session, client, secret_hash=hashed):
            raise conflict("client-changed", "The client changed meanwhile; retry.")
        await idempotency.remember(session, actor, key, idempotency.Record(operation, print_, client_id, salt))
        await session.commit()
        client = await get_client(session, client_id)
        assert client is not None
        return client, secret


def etag(client: Client) -> str:
    return f'"{client.version}"'


async def change_client(db: Database, client_id: str, if_match: str | None, changes: dict[str, Any]) -> Client:
    async with db.session() as session:
        client = await get_client(session, client_id)
        if client is None:
            raise not_found("client", client_id)
        if not if_match:
            raise ProblemError(428, "precondition-required", "If-Match required", "Send the client's ETag in If-Match.")
        if if_match.strip() not in (etag(client), "W/" + etag(client)):
            raise ProblemError(
                412, "precondition-failed", "Precondition failed", "The client changed since you read it."
            )
        if "name" in changes:
            changes["name"] = clean_name(changes["name"])
        roles = changes.get("roles", list(client.roles))
        agency = changes.get("agency", client.agency)
        changes["roles"] = check_roles_and_agency(roles, agency)
        if not await update_client(session, client, **changes):
            raise ProblemError(
                412, "precondition-failed", "Precondition failed", "The client changed since you read it."
            )
        await session.commit()
        updated = await get_client(session, client_id)
        assert updated is not None
        return updated
