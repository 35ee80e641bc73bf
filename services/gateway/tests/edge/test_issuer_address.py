"""Issue 16 item 6: the built-in issuer names the address it is reached at (a gateway on port
18000 advertises 18000, not a default 8000), or the configured public URL; tokens carry that
issuer and are checked against it."""

from __future__ import annotations

import base64

import jwt

from gateway.edge.adapters.clients_repository import insert_client
from gateway.edge.domain.issuer import issuer, served_base_url
from gateway.edge.domain.secrets_hashing import hash_secret

SERVED = "http://127.0.0.1:18000"
BASIC = {"Authorization": "Basic " + base64.b64encode(b"mof-erp:s3cret-value").decode()}


async def _register(runtime) -> None:  # type: ignore[no-untyped-def]
    async with runtime.db.session() as session:
        await insert_client(session, client_id="mof-erp", name="MOF ERP", secret_hash=hash_secret("s3cret-value"),
                            roles=("agency",), agency="MOF")
        await session.commit()


async def _token(client, base: str) -> str:  # type: ignore[no-untyped-def]
    response = await client.post(f"{base}/oauth2/token", data={"grant_type": "client_credentials"}, headers=BASIC)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


async def test_discovery_and_tokens_name_the_address_served_when_none_is_configured(gateway):
    async with gateway() as (client, runtime):
        await _register(runtime)
        discovery = (await client.get(f"{SERVED}/.well-known/openid-configuration")).json()
        assert discovery["issuer"] == SERVED
        assert discovery["token_endpoint"] == f"{SERVED}/oauth2/token"
        assert discovery["jwks_uri"] == f"{SERVED}/.well-known/jwks.json"
        token = await _token(client, SERVED)
        assert jwt.decode(token, options={"verify_signature": False})["iss"] == SERVED
        bearer = {"Authorization": f"Bearer {token}"}
        assert (await client.get(f"{SERVED}/api/v1/projects", headers=bearer)).status_code == 200
        # The issuer is checked: the same token presented at another address names the wrong one.
        elsewhere = await client.get("http://127.0.0.1:18001/api/v1/projects", headers=bearer)
        assert elsewhere.status_code == 401 and "iss" in elsewhere.json()["detail"].lower()


async def test_a_configured_public_url_is_the_issuer_wherever_the_request_arrives(gateway):
    async with gateway(public_base_url="https://dgplan.example/") as (client, runtime):
        await _register(runtime)
        discovery = (await client.get(f"{SERVED}/.well-known/openid-configuration")).json()
        assert discovery["issuer"] == "https://dgplan.example"
        assert discovery["token_endpoint"] == "https://dgplan.example/oauth2/token"
        assert discovery["jwks_uri"] == "https://dgplan.example/.well-known/jwks.json"
        token = await _token(client, SERVED)
        assert jwt.decode(token, options={"verify_signature": False})["iss"] == "https://dgplan.example"
        for base in (SERVED, "http://testserver"):
            answer = await client.get(f"{base}/api/v1/projects", headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code == 200, base


def test_the_served_address_is_the_host_header_else_the_socket():
    assert served_base_url("http", "127.0.0.1:18000", ("10.0.0.5", 8000)) == SERVED
    assert served_base_url("https", None, ("dgplan.example", 443)) == "https://dgplan.example"
    assert served_base_url("http", None, ("127.0.0.1", 18000), "/gw/") == "http://127.0.0.1:18000/gw"
    assert issuer(None, SERVED) == SERVED
    assert issuer("https://dgplan.example/", SERVED) == "https://dgplan.example"
