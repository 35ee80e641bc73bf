"""The external identity provider's signing keys, fetched over HTTP and cached."""

from __future__ import annotations

import time
from typing import Any

import httpx
import jwt


class ExternalJwks:
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
