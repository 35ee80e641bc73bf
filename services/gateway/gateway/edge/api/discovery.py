"""``/.well-known/jwks.json`` and ``/.well-known/openid-configuration``: the built-in issuer's keys
and OIDC discovery, naming the issuer as configured or, unset, as the address served."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from dgplan_shared.problems import PROBLEM_RESPONSES
from gateway.edge.api.deps import edge, served_issuer

router = APIRouter(tags=["authentication"])

# Open paths still pass the edge: a rejected bearer token is a 401, and they are rate limited.
EDGE_ANSWERS: dict[int | str, dict[str, Any]] = {
    401: {**PROBLEM_RESPONSES[401], "description": "A bearer token was sent and is not valid"},
    429: {
        **PROBLEM_RESPONSES[429],
        "description": "Rate limit exceeded",
        "headers": {"Retry-After": {"description": "Seconds until a request is allowed",
                                    "schema": {"type": "integer", "minimum": 1}}},
    },
}


@router.get(
    "/.well-known/jwks.json", summary="Public keys of the built-in issuer (JWKS)",
    responses={
        200: {"description": "The JWKS"},
        **EDGE_ANSWERS,
        503: {"description": "The gateway database (where the keys are kept) is unavailable",
              "content": PROBLEM_RESPONSES[429]["content"]},
    },
)
async def jwks(request: Request) -> JSONResponse:
    state = edge(request)
    document = await state.keys.public_jwks() if state.keys is not None else {"keys": []}
    return JSONResponse(document, headers={"Cache-Control": "public, max-age=300"})


@router.get(
    "/.well-known/openid-configuration", summary="OIDC discovery of the built-in issuer",
    responses={200: {"description": "The discovery document"}, **EDGE_ANSWERS},
)
async def openid_configuration(request: Request) -> JSONResponse:
    base = served_issuer(request)
    return JSONResponse(
        {
            "issuer": base,
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
