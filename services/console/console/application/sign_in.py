"""Use cases: start a sign-in at the identity provider and finish it into a session."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from console.adapters.oidc_client import OidcClient


@dataclass(frozen=True)
class StartSignIn:
    redirect_uri: str
    next_path: str


@dataclass(frozen=True)
class PendingSignIn:
    """Kept in a short-lived signed cookie between the redirect and the callback."""

    state: str
    nonce: str
    verifier: str
    next_path: str


@dataclass(frozen=True)
class FinishSignIn:
    code: str
    redirect_uri: str
    pending: PendingSignIn


@dataclass(frozen=True)
class SignedIn:
    access_token: str
    subject: str
    name: str
    roles: tuple[str, ...]
    agency: str | None
    bodies: tuple[str, ...]


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


async def start(command: StartSignIn, oidc: OidcClient) -> tuple[str, PendingSignIn]:
    pending = PendingSignIn(
        state=secrets.token_urlsafe(24), nonce=secrets.token_urlsafe(24), verifier=secrets.token_urlsafe(64),
        next_path=command.next_path,
    )
    url = await oidc.authorization_url(
        redirect_uri=command.redirect_uri, state=pending.state, nonce=pending.nonce,
        challenge=_challenge(pending.verifier),
    )
    return url, pending


async def finish(command: FinishSignIn, oidc: OidcClient) -> SignedIn:
    token, claims = await oidc.exchange(
        code=command.code, redirect_uri=command.redirect_uri, verifier=command.pending.verifier,
        nonce=command.pending.nonce,
    )
    return SignedIn(
        access_token=token,
        subject=str(claims["sub"]),
        name=str(claims.get("name") or claims.get("preferred_username") or claims["sub"]),
        roles=tuple(_strings(claims.get("roles"))),
        agency=claims.get("agency") if isinstance(claims.get("agency"), str) else None,
        bodies=tuple(_strings(claims.get("bodies"))),
    )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.split()
    return [v for v in value or [] if isinstance(v, str)]
