"""Client secrets: stored as scrypt hashes, compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field

_N, _R, _P = 2**14, 8, 1


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def derive_secret(server_key: str, salt: str) -> str:
    """A secret re-derivable from a stored salt and the server key, so an idempotent retry of
    "create client" returns the same secret without the secret ever being stored."""
    return _b64(hmac.new(server_key.encode(), b"client-secret:" + salt.encode(), hashlib.sha256).digest())


def hash_secret(secret: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(secret.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, _unb64(digest))


@dataclass(frozen=True)
class SecretMaker:
    """Makes client secrets that a retry can re-derive: a random salt per secret, kept with the
    idempotent answer, and the server key, kept in configuration. The secret itself is never stored."""

    server_key: str = field(repr=False)

    def new_salt(self) -> str:
        return secrets.token_hex(16)

    def secret(self, salt: str) -> str:
        return derive_secret(self.server_key, salt)
