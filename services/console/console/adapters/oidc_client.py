"""The console as an OpenID Connect relying party (authorization code + PKCE S256), driven by the
issuer's discovery document: only the issuer URL, client id and secret are configured."""

from __future__ import annotations

import time
from typing import Any

import httpx
import jwt

_CACHE_SECONDS = 300.0


class SignInFailed(Exception):
    """The identity provider refused, or its answer could not be trusted."""


class OidcClient:
    def __init__(self, issuer: str, client_id: str, client_secret: str, timeout: float = 10.0) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.timeout = timeout

    async def discovery(self) -> dict[str, Any]:
        return await _cached(self.issuer + "/.well-known/openid-configuration", self.timeout)

    async def authorization_url(self, *, redirect_uri: str, state: str, nonce: str, challenge: str) -> str:
        document = await self.discovery()
        if "S256" not in document.get("code_challenge_methods_supported", []):
            raise SignInFailed("the identity provider does not support PKCE S256")
        query = httpx.QueryParams(
            response_type="code", client_id=self.client_id, redirect_uri=redirect_uri, scope="openid profile",
            state=state, nonce=nonce, code_challenge=challenge, code_challenge_method="S256",
        )
        return f"{document['authorization_endpoint']}?{query}"

    async def exchange(self, *, code: str, redirect_uri: str, verifier: str, nonce: str) -> tuple[str, dict[str, Any]]:
        """The access token and the verified ID token's claims."""
        document = await self.discovery()
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as http:
                response = await http.post(
                    document["token_endpoint"],
                    data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                          "code_verifier": verifier},
                    auth=(self.client_id, self.client_secret),
                )
        except httpx.HTTPError as exc:
            raise SignInFailed(f"the identity provider could not be reached: {exc}") from exc
        try:
            tokens = response.json()
        except ValueError:
            tokens = {}
        if response.status_code != 200 or "access_token" not in tokens or "id_token" not in tokens:
            raise SignInFailed(tokens.get("error_description") or f"token endpoint answered {response.status_code}")
        claims = await self._verify_id_token(document, tokens["id_token"])
        if claims.get("nonce") != nonce:
            raise SignInFailed("the ID token is not for this sign-in (nonce)")
        return tokens["access_token"], claims

    async def _verify_id_token(self, document: dict[str, Any], id_token: str) -> dict[str, Any]:
        try:
            kid = jwt.get_unverified_header(id_token).get("kid")
        except jwt.PyJWTError as exc:
            raise SignInFailed("malformed ID token") from exc
        jwks = await _cached(document["jwks_uri"], self.timeout)
        keys = [k for k in jwks.get("keys", []) if kid is None or k.get("kid") == kid]
        if not keys:
            jwks = await _cached(document["jwks_uri"], self.timeout, refresh=True)  # a rotated key
            keys = [k for k in jwks.get("keys", []) if kid is None or k.get("kid") == kid]
        if not keys:
            raise SignInFailed("the ID token is signed by an unknown key")
        try:
            return jwt.decode(
                id_token, jwt.PyJWK(keys[0]).key, algorithms=["RS256", "PS256", "ES256"], audience=self.client_id,
                issuer=document["issuer"], options={"require": ["exp", "iat", "sub", "aud", "iss"]}, leeway=5,
            )
        except jwt.PyJWTError as exc:
            raise SignInFailed(f"the ID token was refused: {exc}") from exc


_DOCUMENTS: dict[str, tuple[dict[str, Any], float]] = {}


async def _cached(url: str, timeout: float, refresh: bool = False) -> dict[str, Any]:
    found = _DOCUMENTS.get(url)
    if found is not None and not refresh and found[1] > time.monotonic():
        return found[0]
    try:
        async with httpx.AsyncClient(timeout=timeout) as http:
            response = await http.get(url)
            response.raise_for_status()
            document = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise SignInFailed(f"could not read {url}: {exc}") from exc
    _DOCUMENTS[url] = (document, time.monotonic() + _CACHE_SECONDS)
    return document
