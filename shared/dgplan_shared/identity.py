"""Who is calling. The gateway authenticates the caller and forwards a short-lived identity
assertion (an HS256 JWT signed with the internal secret) in ``X-Dgplan-Identity``. Services
trust nothing else: a request without a valid assertion did not come through the gateway.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from fastapi import Request

from dgplan_shared.problems import ProblemError

IDENTITY_HEADER = "x-dgplan-identity"
_AUDIENCE = "dgplan-internal"
_ISSUER = "dgplan-gateway"

# Roles (coarse); scopes narrow them: an agency role acts only for its agency, a body member
# only for the bodies listed.
SECRETARIAT = "secretariat"
AGENCY = "agency"
BODY_MEMBER = "body_member"
OPERATOR = "operator"
PUBLIC = "public"
SERVICE = "service"  # another dgplan service acting on its own behalf (e.g. the governance engine)

ANONYMOUS_SUBJECT = "anonymous"  # the gateway forwards unauthenticated callers as this, role PUBLIC


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[str] = frozenset()
    agency: str | None = None
    bodies: frozenset[str] = frozenset()
    name: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def member_of(self, body: str) -> bool:
        return body in self.bodies

    def acts_for_agency(self, agency: str | None) -> bool:
        return agency is not None and self.agency == agency


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
    )


def unauthenticated(detail: str) -> ProblemError:
    return ProblemError(401, "unauthenticated", "Authentication required", detail, _headers={"WWW-Authenticate": "Bearer"})


def forbidden(detail: str) -> ProblemError:
    return ProblemError(403, "forbidden", "Not allowed", detail)


def require_role(principal: Principal, *roles: str) -> None:
    """401 for an anonymous caller, 403 for an authenticated one without any of ``roles``."""
    if principal.has(*roles):
        return
    if principal.subject == ANONYMOUS_SUBJECT or principal.roles <= {PUBLIC}:
        raise unauthenticated("This operation needs an authenticated caller.")
    raise forbidden(f"This operation needs one of the roles: {', '.join(roles)}.")


def require_body_member(principal: Principal, body: str) -> None:
    """Only members of ``body`` act on the stages it owns."""
    if principal.subject == ANONYMOUS_SUBJECT or principal.roles <= {PUBLIC}:
        raise unauthenticated("This operation needs an authenticated caller.")
    if not principal.member_of(body):
        raise forbidden(f"Only members of {body} may do this.")


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
