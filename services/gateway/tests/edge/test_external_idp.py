"""Tokens of an external OAuth2/OIDC identity provider, checked against its JWKS (served here by
uvicorn on 127.0.0.1): its tokens are accepted with their roles and agency; tokens from another
issuer, for another audience or signed by a key it does not publish are refused."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://idp.example.go.th/realms/dgplan"


@asynccontextmanager
async def jwks_server(keys: dict[str, rsa.RSAPrivateKey]) -> AsyncIterator[str]:
    app = FastAPI(openapi_url=None)

    @app.get("/certs")
    async def certs() -> dict[str, object]:
        return {"keys": [{**json.loads(RSAAlgorithm.to_jwk(k.public_key())), "kid": kid} for kid, k in keys.items()]}

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", access_log=False, log_config=None))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/certs"
    finally:
        server.should_exit = True
        await task


def token(key: rsa.RSAPrivateKey, kid: str, **claims: object) -> dict[str, str]:
    now = int(time.time())
    base = {
        "iss": ISSUER,
        "aud": "dgplan-api",
        "sub": "user-42",
        "iat": now,
        "exp": now + 300,
        "dgplan_roles": ["agency"],
        "agency_code": "OPDC",
    }
    encoded = jwt.encode({**base, **claims}, key, algorithm="RS256", headers={"kid": kid})
    return {"Authorization": f"Bearer {encoded}"}


async def test_tokens_of_the_identity_provider_are_accepted_and_others_refused(gateway):
    idp_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    async with jwks_server({"idp-1": idp_key}) as url:
        async with gateway(
            jwks_url=url, jwt_issuer=ISSUER, jwt_roles_claim="dgplan_roles", jwt_agency_claim="agency_code"
        ) as (client, _):
            accepted = await client.get("/api/v1/projects", headers=token(idp_key, "idp-1"))
            assert accepted.status_code == 200
            assert accepted.json()["identity"] == {
                "sub": "user-42",
                "roles": ["agency"],
                "agency": "OPDC",
                "bodies": [],
            }
            refused = {
                "other issuer": token(idp_key, "idp-1", iss="https://elsewhere.example"),
                "other audience": token(idp_key, "idp-1", aud="not-dgplan"),
                "unpublished key": token(other_key, "idp-2"),
                "published kid, wrong key": token(other_key, "idp-1"),
            }
            for name, headers in refused.items():
                assert (await client.get("/api/v1/projects", headers=headers)).status_code == 401, name
