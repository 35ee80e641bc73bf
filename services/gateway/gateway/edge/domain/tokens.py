"""What a bearer token says: the claims the built-in issuer signs, and the caller they name.

Pure (no signing here: ``application/bearer_tokens.py`` signs and verifies with PyJWT).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal

BUILTIN_CLIENT = "builtin_client"  # Principal.extra flag: the token came from the built-in issuer


class TokenRejected(Exception):
    """The bearer token is expired, forged, for another audience or otherwise unusable."""


@dataclass(frozen=True)
class ClientGrant:
    client_id: str
    roles: tuple[str, ...]
    agency: str | None
    name: str | None = None


@dataclass(frozen=True)
class ClaimNames:
    """Where the caller's roles and agency sit in a token (configurable for external providers)."""

    roles: str = "roles"
    agency: str = "agency"


def claims_for(
    grant: ClientGrant, *, issuer: str, audience: str, now: int, ttl: int, names: ClaimNames
) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": grant.client_id,
        "client_id": grant.client_id,
        "iat": now,
        "nbf": now,
        "exp": now + ttl,
        "jti": secrets.token_hex(12),
        names.roles: list(grant.roles),
        "scope": " ".join(grant.roles),
    }
    if grant.agency:
        claims[names.agency] = grant.agency
    if grant.name:
        claims["name"] = grant.name
    return claims


def principal_from_claims(claims: dict[str, Any], names: ClaimNames, builtin: bool) -> Principal:
    roles = claims.get(names.roles, [])
    if isinstance(roles, str):
        roles = roles.split()
    agency = claims.get(names.agency)
    return Principal(
        subject=str(claims["sub"]),
        roles=frozenset(str(r) for r in roles if isinstance(r, str)),
        agency=str(agency) if agency else None,
        name=claims.get("name") if isinstance(claims.get("name"), str) else None,
        extra={BUILTIN_CLIENT: True} if builtin else {},
    )


class TokenRefused(Exception):
    """The token endpoint's refusal, in RFC 6749 §5.2 terms (``error`` and its description)."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description
