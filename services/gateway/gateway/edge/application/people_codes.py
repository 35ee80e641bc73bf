"""The authorization-code flow of the built-in issuer (RFC 6749 §4.1 with PKCE S256, RFC 7636):
sign a person in, hand the client a single-use code, exchange it for an access token and an ID token."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt

from dgplan_shared.db.types import utcnow
from dgplan_shared.service import Runtime
from gateway.edge.adapters.people_repository import (
    IssuedCode, Person, consume_code, get_person, insert_code, purge_expired_codes, redirect_uris,
)
from gateway.edge.application.people_passwords import verify_password
from gateway.edge.adapters.clients_repository import get_client
from gateway.edge.application.bearer_tokens import issue_token
from gateway.edge.domain.pkce import plausible_challenge, verifier_matches
from gateway.edge.domain.secrets_hashing import verify_secret
from gateway.edge.domain.tokens import ClientGrant
from gateway.edge.state import EdgeState

CODE_TTL = timedelta(minutes=2)


class FlowError(Exception):
    """An OAuth2 error (RFC 6749 §4.1.2.1 / §5.2): ``error`` is the registered code."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


@dataclass(frozen=True)
class AuthorizationRequest:
    client_id: str
    redirect_uri: str
    code_challenge: str
    code_challenge_method: str
    state: str
    scope: str
    nonce: str | None


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    id_token: str
    expires_in: int
    scope: str


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


async def check_request(runtime: Runtime, request: AuthorizationRequest) -> None:
    """Errors the browser must NOT be redirected with (unknown client, unregistered redirect URI:
    RFC 6749 §4.1.2.1) raise with status 400; the page shows them."""
    async with runtime.db.session() as session:
        client = await get_client(session, request.client_id)
        allowed = await redirect_uris(session, request.client_id) if client is not None else frozenset()
    if client is None or not client.active:
        raise FlowError("invalid_client", "Unknown or inactive client.")
    if request.redirect_uri not in allowed:
        raise FlowError("invalid_request", "This redirect_uri is not registered for the client.")


def redirect_error(request: AuthorizationRequest) -> FlowError | None:
    """Errors reported back to the client by redirect (its request is malformed)."""
    if request.code_challenge_method != "S256":
        return FlowError("invalid_request", "PKCE is required: code_challenge_method=S256.")
    if not plausible_challenge(request.code_challenge):
        return FlowError("invalid_request", "code_challenge must be base64url(SHA-256(verifier)), 43 characters.")
    return None


async def sign_in(runtime: Runtime, request: AuthorizationRequest, username: str, password: str) -> str:
    """The code for a person whose password is right (raises FlowError("access_denied") otherwise)."""
    async with runtime.db.session() as session:
        person = await get_person(session, username.strip())
    # argon2 is deliberately slow: keep it off the event loop.
    valid = await asyncio.to_thread(verify_password, password, person.password_hash if person else None)
    if not valid or person is None or not person.active:
        raise FlowError("access_denied", "Wrong username or password.", status=401)
    code = secrets.token_urlsafe(32)
    async with runtime.db.session() as session:
        await purge_expired_codes(session, utcnow())
        await insert_code(
            session,
            _hash(code),
            IssuedCode(
                client_id=request.client_id, username=person.username, redirect_uri=request.redirect_uri,
                code_challenge=request.code_challenge, scope=request.scope, nonce=request.nonce,
                expires_at=utcnow() + CODE_TTL,
            ),
        )
        await session.commit()
    return code


async def exchange(
    runtime: Runtime, edge: EdgeState, *, client_id: str, secret: str, code: str, redirect_uri: str, verifier: str,
    issuer: str,
) -> TokenSet:
    async with runtime.db.session() as session:
        client = await get_client(session, client_id)
    if client is None or not client.active or not await asyncio.to_thread(verify_secret, secret, client.secret_hash):
        raise FlowError("invalid_client", "Unknown client, wrong secret or inactive client.", status=401)
    async with runtime.db.session() as session:
        # Spent before any other check: a code presented once with a wrong verifier is burnt,
        # so an attacker holding a stolen code gets one guess, not many.
        issued = await consume_code(session, _hash(code))
        person = await get_person(session, issued.username) if issued is not None else None
        await session.commit()
    if issued is None or issued.expires_at < utcnow() or person is None or not person.active:
        raise FlowError("invalid_grant", "The code is unknown, expired or already used.")
    if issued.client_id != client_id or issued.redirect_uri != redirect_uri:
        raise FlowError("invalid_grant", "The code was issued to another client or redirect_uri.")
    if not verifier_matches(verifier, issued.code_challenge):
        raise FlowError("invalid_grant", "code_verifier does not match the code_challenge.")
    assert edge.keys is not None
    access, ttl = await issue_token(
        edge.keys, edge.settings, ClientGrant(person.subject, person.roles, person.agency, person.name), issuer
    )
    bodies = await edge.bodies(person.subject)
    id_token = await _id_token(edge, person, client_id, issued.nonce, ttl, bodies, issuer)
    return TokenSet(access, id_token, ttl, " ".join(person.roles))


async def _id_token(
    edge: EdgeState, person: Person, client_id: str, nonce: str | None, ttl: int, bodies: frozenset[str],
    issuer: str,
) -> str:
    """The ID token tells the relying party who signed in. Its ``bodies`` are what they were at sign-in,
    for display; the edge resolves memberships afresh on every API call made with the access token."""
    key = await edge.keys.active()  # type: ignore[union-attr]
    now = int(time.time())
    s = edge.settings
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": client_id,
        "sub": person.subject,
        "iat": now,
        "exp": now + ttl,
        "auth_time": now,
        "name": person.name,
        "preferred_username": person.username,
        s.jwt_roles_claim: list(person.roles),
        "bodies": sorted(bodies),
    }
    if person.agency:
        claims[s.jwt_agency_claim] = person.agency
    if nonce:
        claims["nonce"] = nonce
    return jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid})
