"""PKCE (RFC 7636), S256 only: "plain" would let anyone who saw the challenge redeem the code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

# RFC 7636 §4.1: 43-128 characters of the unreserved set.
_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
# The S256 challenge is base64url(SHA-256) without padding: always 43 characters.
_CHALLENGE = re.compile(r"^[A-Za-z0-9\-_]{43}$")


def plausible_challenge(challenge: str) -> bool:
    return bool(_CHALLENGE.match(challenge))


def plausible_verifier(verifier: str) -> bool:
    return bool(_VERIFIER.match(verifier))


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def verifier_matches(verifier: str, challenge: str) -> bool:
    return plausible_verifier(verifier) and hmac.compare_digest(s256(verifier), challenge)
