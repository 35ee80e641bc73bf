"""Standard Webhooks signatures through the ``standardwebhooks`` library (never a hand-made HMAC)."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A ``whsec_`` secret: 32 random bytes, base64 (what the library and receivers expect)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature_header(signing_secrets: list[str], msg_id: str, timestamp: datetime, body: str) -> str:
    """``webhook-signature``: one ``v1,<base64>`` per secret in force, space-separated, so that a
    receiver that has not yet switched to a rotated secret still verifies."""
    return " ".join(Webhook(secret).sign(msg_id, timestamp, body) for secret in signing_secrets)
