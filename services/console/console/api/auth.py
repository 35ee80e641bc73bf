"""Sign-in (OIDC authorization code with PKCE, at the configured issuer), its callback, sign-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.adapters.gateway_client import ApiProblem
from console.adapters.oidc_client import OidcClient, SignInFailed
from console.application import sign_in
from console.api.deps import local_path, origin_of, problem_page, session_of, settings_of
from console.api.session import csrf_ok, forget_user, save_pending, save_user, take_pending
from console.settings import Settings

router = APIRouter(include_in_schema=False)

CALLBACK = "/auth/callback"


def _client_secret(settings: Settings) -> str:
    if settings.oidc_client_secret is not None:
        return settings.oidc_client_secret.get_secret_value()
    try:
        for line in settings.oidc_client_file.read_text().splitlines():
            client_id, _, secret = line.partition(" ")
            if client_id == settings.oidc_client_id and secret:
                return secret.strip()
    except OSError:
        pass
    raise SignInFailed("the console has no client secret (CONSOLE_OIDC_CLIENT_SECRET or its client file)")


def _oidc(request: Request) -> OidcClient:
    settings = settings_of(request)
    issuer = settings.oidc_issuer or settings.gateway_url or origin_of(request)
    return OidcClient(issuer, settings.oidc_client_id, _client_secret(settings), settings.http_timeout_seconds)


def _redirect_uri(request: Request) -> str:
    return (settings_of(request).public_url or origin_of(request)).rstrip("/") + CALLBACK


def _failed(request: Request, why: SignInFailed) -> HTMLResponse:
    return problem_page(request, session_of(request), ApiProblem(502, "Sign-in failed", str(why)))


@router.get("/auth/signin")
async def start_sign_in(request: Request, next: str | None = None) -> Response:
    try:
        url, pending = await sign_in.start(
            sign_in.StartSignIn(_redirect_uri(request), local_path(next, "/inbox")), _oidc(request)
        )
    except SignInFailed as why:
        return _failed(request, why)
    response = RedirectResponse(url, status_code=303)
    save_pending(response, settings_of(request), pending)
    return response


@router.get(CALLBACK)
async def finish_sign_in(
    request: Request, code: str | None = None, state: str | None = None, error: str | None = None,
    error_description: str | None = None,
) -> Response:
    response = RedirectResponse("/", status_code=303)
    pending = take_pending(request, response, settings_of(request))
    if error:
        return _failed(request, SignInFailed(f"{error}: {error_description or ''}".strip(": ")))
    if pending is None or not state or state != pending.state or not code:
        return _failed(request, SignInFailed("this sign-in was not started here or took too long; please try again"))
    try:
        user = await sign_in.finish(sign_in.FinishSignIn(code, _redirect_uri(request), pending), _oidc(request))
    except SignInFailed as why:
        return _failed(request, why)
    response.headers["location"] = local_path(pending.next_path, "/inbox")
    save_user(response, settings_of(request), user)
    return response


@router.post("/auth/signout")
async def sign_out(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    session = session_of(request)
    if not csrf_ok(session, csrf):
        return problem_page(request, session, ApiProblem(403, "Form expired", "Reload the page and try again."))
    response = RedirectResponse("/", status_code=303)
    forget_user(response)
    return response
