"""Thai text is kept exactly as sent, in NFC (so equal strings compare equal)."""

from __future__ import annotations

import unicodedata


def nfc(value: str | None) -> str | None:
    return None if value is None else unicodedata.normalize("NFC", value)
