"""How a caller reaches a service. The gateway authenticates the caller and forwards a
short-lived identity assertion (an HS256 JWT signed with the internal secret) in
``X-Dgplan-Identity``. Services trust nothing else: a request without a valid assertion did not
come through the gateway.
"""

from __future__ import annotations

import time

import jwt
from fastapi import Request

from dgplan_contracts.identity import Principal, unauthenticated

IDENTITY_HEADER = "x-dgplan-identity"
_AUDIENCE = "dgplan-internal"
_ISSUER = "dgplan-gateway"


def sign_identity(principal: Principal, secret: str, ttl_seconds: int = 60) -> str:
    now = int(time.time())
    claims = {
        "iss": _ISSUER,
        "aud": _AUDIENCE,
        "sub": principal.subject,
        "iat": now,
        "exp": now + ttl_seconds,
        "roles": sorted(principal.roles),
        "bodies": sorted(principal.bodies),
    }
    if principal.offices:
        claims["offices"] = sorted(principal.offices)
    if principal.agency:
        claims["agency"] = principal.agency
    if principal.name:
        claims["name"] = principal.name
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_identity(token: str, secret: str) -> Principal:
    claims = jwt.decode(token, secret, algorithms=["HS256"], audience=_AUDIENCE, issuer=_ISSUER)
    return Principal(
        subject=str(claims["sub"]),
        roles=frozenset(claims.get("roles", [])),
        agency=claims.get("agency"),
        bodies=frozenset(claims.get("bodies", [])),
        name=claims.get("name"),
        offices=frozenset(claims.get("offices", [])),
    )


def principal_from_request(request: Request) -> Principal:
    """FastAPI dependency: the verified caller, or 401."""
    token = request.headers.get(IDENTITY_HEADER)
    if not token:
        raise unauthenticated("No identity: call the API through the gateway with a bearer token.")
    secret = request.app.state.runtime.settings.internal_auth_secret.get_secret_value()
    try:
        return verify_identity(token, secret)
    except jwt.PyJWTError as exc:
        raise unauthenticated(f"Identity assertion rejected: {exc}") from exc


def optional_principal(request: Request) -> Principal | None:
    """For routes the public may read: the caller if identified, else None."""
    if not request.headers.get(IDENTITY_HEADER):
        return None
    return principal_from_request(request)
