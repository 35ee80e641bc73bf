"""Bearer tokens: issuing them (built-in issuer, RS256) and verifying them (built-in keys or an
external identity provider's JWKS)."""

from __future__ import annotations

import time
from typing import Any

import jwt

from dgplan_contracts.identity import Principal
from gateway.edge.adapters.external_jwks import ExternalJwks
from gateway.edge.adapters.signing_keys import KeyRing
from gateway.edge.domain.tokens import ClaimNames, ClientGrant, TokenRejected, claims_for, principal_from_claims
from gateway.settings import Settings

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256"]


def claim_names(settings: Settings) -> ClaimNames:
    return ClaimNames(settings.jwt_roles_claim, settings.jwt_agency_claim)


async def issue_token(keys: KeyRing, settings: Settings, grant: ClientGrant, issuer: str) -> tuple[str, int]:
    """A signed token naming ``issuer`` (the configured public URL or the address served)."""
    key = await keys.active()
    ttl = settings.token_ttl_seconds
    claims = claims_for(
        grant, issuer=issuer, audience=settings.jwt_audience, now=int(time.time()), ttl=ttl,
        names=claim_names(settings),
    )
    return jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid}), ttl


class Verifier:
    _CACHE_MAX = 10_000

    def __init__(self, settings: Settings, keys: KeyRing | None, external: ExternalJwks | None) -> None:
        self.settings = settings
        self.keys = keys
        self.external = external
        self._names = claim_names(settings)
        # token -> (principal, expiry, the built-in issuer it was checked against)
        self._cache: dict[str, tuple[Principal, float, str]] = {}

    async def verify(self, token: str, issuer: str) -> Principal:
        """The caller a token names; ``issuer`` is what the built-in issuer's tokens must carry."""
        cached = self._cache.get(token)
        if cached is not None and cached[1] > time.time() and cached[2] == issuer:
            return cached[0]
        principal, expires = await self._verify(token, issuer)
        if len(self._cache) >= self._CACHE_MAX:
            self._cache.clear()
        self._cache[token] = (principal, expires, issuer)
        return principal

    async def _verify(self, token: str, own_issuer: str) -> tuple[Principal, float]:
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
                key, issuer, builtin = own.private_key.public_key(), own_issuer, True
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
        return principal_from_claims(claims, self._names, builtin), float(claims["exp"])
