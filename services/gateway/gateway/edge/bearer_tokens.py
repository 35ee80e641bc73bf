"""Bearer tokens: issuing them (built-in issuer, RS256) and verifying them (built-in keys or an
external identity provider's JWKS)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from dgplan_contracts.identity import Principal
from gateway.edge.signing_keys import KeyRing
from gateway.settings import Settings

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256"]
BUILTIN_CLIENT = "builtin_client"  # Principal.extra flag: the token came from the built-in issuer


class TokenRejected(Exception):
    """The bearer token is expired, forged, for another audience or otherwise unusable."""


@dataclass(frozen=True)
class ClientGrant:
    client_id: str
    roles: tuple[str, ...]
    agency: str | None
    name: str | None = None


async def issue_token(keys: KeyRing, settings: Settings, grant: ClientGrant) -> tuple[str, int]:
    key = await keys.active()
    now = int(time.time())
    ttl = settings.token_ttl_seconds
    claims: dict[str, Any] = {
        "iss": settings.public_base_url,
        "aud": settings.jwt_audience,
        "sub": grant.client_id,
        "client_id": grant.client_id,
        "iat": now,
        "nbf": now,
        "exp": now + ttl,
        "jti": secrets.token_hex(12),
        settings.jwt_roles_claim: list(grant.roles),
        "scope": " ".join(grant.roles),
    }
    if grant.agency:
        claims[settings.jwt_agency_claim] = grant.agency
    if grant.name:
        claims["name"] = grant.name
    return jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid}), ttl


class ExternalJwks:
    """The external identity provider's keys, fetched over HTTP and cached."""

    def __init__(self, url: str, cache_seconds: float) -> None:
        self.url = url
        self.cache_seconds = cache_seconds
        self._keys: dict[str, Any] = {}
        self._fetched_at = float("-inf")

    async def find(self, kid: str | None) -> Any | None:
        stale = time.monotonic() - self._fetched_at > self.cache_seconds
        # An unknown kid may be a rotated key: refetch, but not more than once a second.
        if stale or (kid not in self._keys and time.monotonic() - self._fetched_at > 1.0):
            await self._fetch()
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return self._keys.get(kid) if kid else None

    async def _fetch(self) -> None:
        self._fetched_at = time.monotonic()
        try:
            async with httpx.AsyncClient(timeout=5.0) as http:
                response = await http.get(self.url)
                response.raise_for_status()
                document = response.json()
        except (httpx.HTTPError, ValueError):
            return  # keep the keys we had; tokens signed by unknown keys are refused
        keys = {}
        for jwk in document.get("keys", []):
            try:
                keys[jwk.get("kid")] = jwt.PyJWK(jwk).key
            except jwt.PyJWTError:
                continue
        self._keys = keys


class Verifier:
    _CACHE_MAX = 10_000

    def __init__(self, settings: Settings, keys: KeyRing | None, external: ExternalJwks | None) -> None:
        self.settings = settings
        self.keys = keys
        self.external = external
        self._cache: dict[str, tuple[Principal, float]] = {}  # token -> principal, expiry

    async def verify(self, token: str) -> Principal:
        cached = self._cache.get(token)
        if cached is not None and cached[1] > time.time():
            return cached[0]
        principal, expires = await self._verify(token)
        if len(self._cache) >= self._CACHE_MAX:
            self._cache.clear()
        self._cache[token] = (principal, expires)
        return principal

    async def _verify(self, token: str) -> tuple[Principal, float]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise TokenRejected("malformed token") from exc
        kid = header.get("kid")
        s = self.settings
        key: Any = None
        issuer: str | None = None
        builtin = False
        if self.keys is not None and kid:
            own = await self.keys.find(kid)
            if own is not None:
                key, issuer, builtin = own.private_key.public_key(), s.public_base_url, True
        if key is None and self.external is not None:
            key, issuer = await self.external.find(kid), s.jwt_issuer
        if key is None:
            raise TokenRejected("token signed by an unknown key")
        options = {"require": ["exp", "sub", "aud"], "verify_iss": issuer is not None}
        try:
            claims = jwt.decode(
                token, key, algorithms=ALGORITHMS, audience=s.jwt_audience, issuer=issuer, options=options, leeway=5
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenRejected("token expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise TokenRejected("token is for another audience") from exc
        except jwt.PyJWTError as exc:
            raise TokenRejected(f"token rejected: {exc}") from exc
        return self._principal(claims, builtin), float(claims["exp"])

    def _principal(self, claims: dict[str, Any], builtin: bool) -> Principal:
        roles = claims.get(self.settings.jwt_roles_claim, [])
        if isinstance(roles, str):
            roles = roles.split()
        agency = claims.get(self.settings.jwt_agency_claim)
        return Principal(
            subject=str(claims["sub"]),
            roles=frozenset(str(r) for r in roles if isinstance(r, str)),
            agency=str(agency) if agency else None,
            name=claims.get("name") if isinstance(claims.get("name"), str) else None,
            extra={BUILTIN_CLIENT: True} if builtin else {},
        )
