"""``POST /oauth2/token``: the built-in OAuth2 issuer (client credentials, RFC 6749 §4.4)."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qs, unquote_plus

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from dgplan_shared.service import get_runtime
from gateway.edge.api.authorize import authorization_code_grant
from gateway.edge.api.deps import edge, served_issuer
from gateway.edge.api.discovery import EDGE_ANSWERS
from gateway.edge.application import issue_token
from gateway.edge.domain.tokens import TokenRefused

router = APIRouter(tags=["authentication"])

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_TOKEN_SCHEMA = {
    "type": "object",
    "required": ["access_token", "token_type", "expires_in"],
    "properties": {
        "access_token": {"type": "string"},
        "token_type": {"type": "string"},
        "expires_in": {"type": "integer"},
        "scope": {"type": ["string", "null"]},
    },
}
_OAUTH_ERROR_SCHEMA = {  # RFC 6749 section 5.2
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
}


def _oauth_error(status: int, error: str, description: str, basic: bool = False) -> JSONResponse:
    headers = dict(_NO_STORE)
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="dgplan"' if basic else 'Bearer realm="dgplan"'
    return JSONResponse({"error": error, "error_description": description}, status_code=status, headers=headers)


def _basic_credentials(header: str) -> tuple[str, str] | None:
    if header[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (unquote_plus(client_id), unquote_plus(secret)) if sep else None


@router.post(
    "/oauth2/token",
    summary="Issue an access token (OAuth2 client credentials)",
    description=(
        "Form-encoded `grant_type=client_credentials`, with the client's credentials either as HTTP Basic "
        "auth or as `client_id` and `client_secret` fields. Optional `scope`: a space-separated subset of the "
        "client's roles. Errors follow RFC 6749 §5.2."
    ),
    # The form and the answers are read by hand (OAuth's own formats), so the document states them:
    # without a request body, a generated client (openapi-python-client) cannot ask for a token.
    openapi_extra={"requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
        "type": "object",
        "required": ["grant_type"],
        "properties": {
            "grant_type": {"type": "string", "enum": ["client_credentials", "authorization_code"]},
            "client_id": {"type": "string", "description": "unless sent as HTTP Basic auth"},
            "client_secret": {"type": "string", "description": "unless sent as HTTP Basic auth"},
            "scope": {"type": "string", "description": "a space-separated subset of the client's roles"},
            "code": {"type": "string", "description": "authorization_code only"},
            "redirect_uri": {"type": "string", "description": "authorization_code only"},
            "code_verifier": {"type": "string", "description": "authorization_code only (PKCE)"},
        },
    }}}}},
    responses={
        200: {"description": "An RS256 bearer token", "content": {"application/json": {"schema": _TOKEN_SCHEMA}}},
        400: {"description": "invalid_request, unsupported_grant_type or invalid_scope",
              "content": {"application/json": {"schema": _OAUTH_ERROR_SCHEMA}}},
        401: {"description": "invalid_client", "content": {"application/json": {"schema": _OAUTH_ERROR_SCHEMA}}},
        429: EDGE_ANSWERS[429],
    },
)
async def token(request: Request) -> JSONResponse:
    state = edge(request)
    if state.keys is None:
        return _oauth_error(
            400, "unsupported_grant_type", "The built-in issuer is turned off; use the identity provider."
        )
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return _oauth_error(400, "invalid_request", "Send the request as application/x-www-form-urlencoded.")
    try:
        form = {k: v for k, v in parse_qs((await request.body()).decode(), keep_blank_values=True).items()}
    except UnicodeDecodeError:
        return _oauth_error(400, "invalid_request", "The form is not UTF-8.")
    if any(len(v) > 1 for v in form.values()):
        return _oauth_error(400, "invalid_request", "A parameter is repeated.")
    fields = {k: v[0] for k, v in form.items()}
    if fields.get("grant_type") not in ("client_credentials", "authorization_code"):
        return _oauth_error(
            400, "unsupported_grant_type", "Only grant_type=client_credentials or authorization_code is supported."
        )

    basic = _basic_credentials(request.headers.get("authorization", ""))
    if basic and "client_secret" in fields:
        return _oauth_error(400, "invalid_request", "Use one way to authenticate the client, not two.")
    if fields["grant_type"] == "authorization_code":
        return await authorization_code_grant(request, state, fields, basic)
    client_id, secret = basic or (fields.get("client_id", ""), fields.get("client_secret", ""))
    if not client_id or not secret:
        return _oauth_error(401, "invalid_client", "Client credentials are missing.", basic=basic is not None)

    command = issue_token.IssueToken(
        client_id, secret, fields.get("scope") or None, served_issuer(request),
        issue_token.Signer(state.keys, state.settings),
    )
    try:
        async with get_runtime(request).uow() as uow:
            issued = await issue_token.handle(command, uow)
    except TokenRefused as refused:
        return _oauth_error(refused.status, refused.error, refused.description, basic=basic is not None)
    return JSONResponse(
        {"access_token": issued.access_token, "token_type": "Bearer", "expires_in": issued.expires_in,
         "scope": issued.scope},
        headers=_NO_STORE,
    )
