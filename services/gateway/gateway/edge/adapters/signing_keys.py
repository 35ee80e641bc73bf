"""The built-in issuer's RSA keys: created on first use, kept in the gateway database so every
replica signs and verifies with the same key, cached in memory.

Production concern: the private key sits in the database. Use an external identity provider
(``GATEWAY_JWKS_URL``) and turn the built-in issuer off, or mount the key as a secret.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from dgplan_shared.db.engine import Database
from dgplan_shared.db.types import utcnow
from gateway.edge.adapters.tables import signing_keys


# The advisory lock under which a replica creates the first key (an arbitrary constant of this module).
_CREATE_LOCK = 0x5167_4B45


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey

    @property
    def public_jwk(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        return {**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}


def _load(kid: str, pem: str) -> SigningKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return SigningKey(kid, key)


def new_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class KeyRing:
    _RELOAD_PAUSE = 5.0  # an unknown kid reloads from the database at most this often (forged kids are cheap)

    def __init__(self, db: Database) -> None:
        self._db = db
        self._keys: dict[str, SigningKey] = {}
        self._active: SigningKey | None = None
        self._lock = asyncio.Lock()
        self._last_reload = float("-inf")

    async def active(self) -> SigningKey:
        if self._active is None:
            async with self._lock:
                if self._active is None:
                    await self._reload()
                    if self._active is None:
                        await self._create()
        assert self._active is not None
        return self._active

    async def find(self, kid: str) -> SigningKey | None:
        if kid in self._keys:
            return self._keys[kid]
        # Wait for a reload under way rather than refusing a valid token: a restarted replica
        # meets many callers' tokens at once, and all but the first used to get 401.
        async with self._lock:
            if kid not in self._keys and time.monotonic() - self._last_reload > self._RELOAD_PAUSE:
                await self._reload()
        return self._keys.get(kid)

    async def public_jwks(self) -> dict[str, Any]:
        await self.active()
        return {"keys": [key.public_jwk for key in self._keys.values()]}

    async def _reload(self) -> None:
        async with self._db.session() as session:
            rows = (await session.execute(select(signing_keys).order_by(signing_keys.c.created_at))).all()
        # Stamped only once read: a failed reload (database down) must not refuse tokens for a while.
        self._last_reload = time.monotonic()
        for row in rows:
            if row.kid not in self._keys:
                self._keys[row.kid] = _load(row.kid, row.private_pem)
            if row.active:
                self._active = self._keys[row.kid]

    async def _create(self) -> None:
        private = await asyncio.to_thread(new_private_key)
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        kid = secrets.token_hex(8)
        try:
            async with self._db.session() as session:
                # Replicas starting together on a new database each found no key: one creates it,
                # the others wait for it here and use it. Two keys made a replica that had read
                # only its own refuse the other's tokens until its reload pause ran out (the
                # replicated fault suite's 401s).
                if self._db.is_postgres:
                    await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CREATE_LOCK})
                exists = await session.scalar(select(signing_keys.c.kid).where(signing_keys.c.active).limit(1))
                if exists is None:
                    await session.execute(
                        insert(signing_keys).values(kid=kid, private_pem=pem, active=True, created_at=utcnow())
                    )
                await session.commit()
        except IntegrityError:  # pragma: no cover - a random 64-bit kid colliding
            pass
        await self._reload()
