"""The built-in OAuth2 issuer (client credentials, RFC 6749 §4.4), its JWKS and OIDC discovery."""

from __future__ import annotations

import asyncio
import base64
import binascii
from urllib.parse import parse_qs, unquote_plus

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from dgplan_shared.service import get_runtime
from gateway.edge.api.authorize import authorization_code_grant
from gateway.edge.bearer_tokens import ClientGrant, issue_token
from gateway.edge.clients_repository import get_client
from gateway.edge.secrets_hashing import verify_secret
from gateway.edge.state import edge_state

router = APIRouter(tags=["authentication"])

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


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
    responses={
        200: {"description": "An RS256 bearer token"},
        400: {"description": "invalid_request, unsupported_grant_type or invalid_scope"},
        401: {"description": "invalid_client"},
    },
)
async def token(request: Request) -> JSONResponse:
    runtime = get_runtime(request)
    edge = edge_state(runtime)
    if edge.keys is None:
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
        return await authorization_code_grant(request, edge, fields, basic)
    client_id, secret = basic or (fields.get("client_id", ""), fields.get("client_secret", ""))
    if not client_id or not secret:
        return _oauth_error(401, "invalid_client", "Client credentials are missing.", basic=basic is not None)

    async with runtime.db.session() as session:
        client = await get_client(session, client_id)
    # scrypt is deliberately slow: keep it off the event loop.
    valid = client is not None and client.active and await asyncio.to_thread(verify_secret, secret, client.secret_hash)
    if not valid or client is None:
        return _oauth_error(
            401, "invalid_client", "Unknown client, wrong secret or inactive client.", basic=basic is not None
        )

    roles = client.roles
    if fields.get("scope"):
        wanted = tuple(dict.fromkeys(fields["scope"].split()))
        if not set(wanted) <= set(client.roles):
            return _oauth_error(400, "invalid_scope", f"This client may only ask for: {' '.join(client.roles)}.")
        roles = wanted
    access_token, ttl = await issue_token(
        edge.keys, edge.settings, ClientGrant(client.client_id, roles, client.agency, client.name)
    )
    return JSONResponse(
        {"access_token": access_token, "token_type": "Bearer", "expires_in": ttl, "scope": " ".join(roles)},
        headers=_NO_STORE,
    )


@router.get("/.well-known/jwks.json", summary="Public keys of the built-in issuer (JWKS)")
async def jwks(request: Request) -> JSONResponse:
    edge = edge_state(get_runtime(request))
    document = await edge.keys.public_jwks() if edge.keys is not None else {"keys": []}
    return JSONResponse(document, headers={"Cache-Control": "public, max-age=300"})


@router.get("/.well-known/openid-configuration", summary="OIDC discovery of the built-in issuer")
async def openid_configuration(request: Request) -> JSONResponse:
    settings = edge_state(get_runtime(request)).settings
    base = settings.public_base_url.rstrip("/")
    return JSONResponse(
        {
            "issuer": settings.public_base_url,
            "authorization_endpoint": f"{base}/oauth2/authorize",
            "token_endpoint": f"{base}/oauth2/token",
            "jwks_uri": f"{base}/.well-known/jwks.json",
            "grant_types_supported": ["client_credentials", "authorization_code"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "token"],
            "subject_types_supported": ["public"],
            "scopes_supported": ["openid", "secretariat", "agency", "body_member", "operator", "service"],
            "claims_supported": ["sub", "roles", "agency", "client_id", "name", "bodies", "nonce"],
        }
    )
