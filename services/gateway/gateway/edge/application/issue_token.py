"""Use case: a client of the built-in issuer exchanges its credentials for an access token
(OAuth2 client credentials, RFC 6749 §4.4)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from dgplan_shared.db.uow import UnitOfWork
from gateway.edge.adapters.clients_repository import get_client
from gateway.edge.adapters.signing_keys import KeyRing
from gateway.edge.application.bearer_tokens import issue_token
from gateway.edge.domain.secrets_hashing import verify_secret
from gateway.edge.domain.tokens import ClientGrant, TokenRefused
from gateway.settings import Settings


@dataclass(frozen=True)
class Signer:
    keys: KeyRing
    settings: Settings


@dataclass(frozen=True)
class IssueToken:
    client_id: str
    secret: str
    scope: str | None
    issuer: str  # the configured public URL, else the address the request was served at
    signer: Signer = field(repr=False, compare=False)


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    scope: str


async def handle(command: IssueToken, uow: UnitOfWork) -> IssuedToken:
    client = await get_client(uow.session, command.client_id)
    # scrypt is deliberately slow: keep it off the event loop.
    valid = (
        client is not None
        and client.active
        and await asyncio.to_thread(verify_secret, command.secret, client.secret_hash)
    )
    if not valid or client is None:
        raise TokenRefused(401, "invalid_client", "Unknown client, wrong secret or inactive client.")
    roles = client.roles
    if command.scope:
        wanted = tuple(dict.fromkeys(command.scope.split()))
        if not set(wanted) <= set(client.roles):
            raise TokenRefused(400, "invalid_scope", f"This client may only ask for: {' '.join(client.roles)}.")
        roles = wanted
    token, ttl = await issue_token(
        command.signer.keys, command.signer.settings, ClientGrant(client.client_id, roles, client.agency, client.name),
        command.issuer,
    )
    return IssuedToken(token, ttl, " ".join(roles))
