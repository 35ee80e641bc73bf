"""Webhook signing secrets encrypted at rest (Fernet, through ``MultiFernet`` so keys rotate).

Signing needs the secret itself (Standard Webhooks is a shared-secret HMAC), so it cannot be
hashed like a password: it is encrypted with a key the database does not hold, and a copy of the
database alone reveals nothing. The first key encrypts; every key decrypts, so a new key is put
first and the old one stays until ``reencrypt-secrets`` has rewritten every row.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

# Only for development and tests (the settings refuse an empty key list in production): a
# known key protects nothing, but keeps `make run` and a fresh checkout working alone.
DEVELOPMENT_KEY = "ZGdwbGFuLWRldmVsb3BtZW50LW9ubHkta2V5LTMyYiE="


class SecretBoxError(ValueError):
    """A stored secret no configured key opens (a key was dropped too early, or the row is corrupt)."""


class SecretBox:
    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise ValueError("at least one Fernet key is needed")
        try:
            self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])
        except ValueError as exc:  # a malformed key: say which setting, not the key
            raise ValueError(f"NOTIFICATIONS_SECRET_KEYS holds a key that is not a Fernet key: {exc}") from None

    @classmethod
    def from_setting(cls, value: str) -> SecretBox:
        keys = [k.strip() for k in value.split(",") if k.strip()]
        return cls(keys or [DEVELOPMENT_KEY])

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise SecretBoxError("a stored webhook secret cannot be decrypted with any configured key") from None

    def reseal(self, sealed: str) -> str:
        """The same secret under the first (newest) key."""
        try:
            return self._fernet.rotate(sealed.encode()).decode()
        except InvalidToken:
            raise SecretBoxError("a stored webhook secret cannot be decrypted with any configured key") from None
