"""The session: a signed (itsdangerous), HTTP-only, SameSite=Lax cookie holding who signed in, the
access token and the CSRF token every form must carry back."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from console.application.sign_in import PendingSignIn, SignedIn
from console.settings import Settings

SESSION_COOKIE = "dgplan_session"
SIGNIN_COOKIE = "dgplan_signin"
CSRF_COOKIE = "dgplan_csrf"
LANG_COOKIE = "dgplan_lang"
SIGNIN_MAX_AGE = 600


@dataclass(frozen=True)
class Session:
    user: SignedIn | None
    csrf: str


def _key(settings: Settings) -> str:
    if settings.session_secret is not None:
        return settings.session_secret.get_secret_value()
    # One secret per installation is already there (make run writes a random one): derive from it.
    internal = settings.internal_auth_secret.get_secret_value().encode()
    return hmac.new(internal, b"console-session-cookie", hashlib.sha256).hexdigest()


def _serializer(settings: Settings, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_key(settings), salt=salt)


def read_session(request: Request, settings: Settings) -> Session:
    signer = _serializer(settings, "session")
    user = None
    raw = request.cookies.get(SESSION_COOKIE)
    if raw:
        try:
            data: dict[str, Any] = signer.loads(raw, max_age=settings.session_max_age_seconds)
            user = SignedIn(**{**data, "roles": tuple(data["roles"]), "bodies": tuple(data["bodies"])})
        except (BadSignature, TypeError, KeyError):
            user = None
    csrf = request.cookies.get(CSRF_COOKIE) or ""
    try:
        csrf = _serializer(settings, "csrf").loads(csrf) if csrf else ""
    except BadSignature:
        csrf = ""
    return Session(user=user, csrf=csrf or secrets.token_urlsafe(24))


def _cookie(response: Response, settings: Settings, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax", secure=settings.secure_cookies,
                        path="/")


def keep_csrf(response: Response, settings: Settings, session: Session) -> None:
    """Double-submit CSRF: the token is in a signed cookie and in every form; both must agree."""
    _cookie(response, settings, CSRF_COOKIE, _serializer(settings, "csrf").dumps(session.csrf),
            settings.session_max_age_seconds)


def csrf_ok(session: Session, submitted: str | None) -> bool:
    return bool(submitted) and hmac.compare_digest(session.csrf, submitted or "")


def save_user(response: Response, settings: Settings, user: SignedIn) -> None:
    data = asdict(user)
    _cookie(response, settings, SESSION_COOKIE, _serializer(settings, "session").dumps(data),
            settings.session_max_age_seconds)
    # A new CSRF token at sign-in: one planted before it (login CSRF) is worthless afterwards.
    _cookie(response, settings, CSRF_COOKIE, _serializer(settings, "csrf").dumps(secrets.token_urlsafe(24)),
            settings.session_max_age_seconds)


def forget_user(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


def save_pending(response: Response, settings: Settings, pending: PendingSignIn) -> None:
    _cookie(response, settings, SIGNIN_COOKIE, _serializer(settings, "signin").dumps(asdict(pending)), SIGNIN_MAX_AGE)


def take_pending(request: Request, response: Response, settings: Settings) -> PendingSignIn | None:
    raw = request.cookies.get(SIGNIN_COOKIE)
    response.delete_cookie(SIGNIN_COOKIE, path="/")
    if not raw:
        return None
    try:
        return PendingSignIn(**_serializer(settings, "signin").loads(raw, max_age=SIGNIN_MAX_AGE))
    except (BadSignature, TypeError):
        return None
