"""The built-in issuer: client credentials in, an RS256 token out that the JWKS verifies and the
API accepts; RFC 6749 errors otherwise."""

from __future__ import annotations

import base64

import jwt
from sqlalchemy import update

from gateway.edge.adapters.clients_repository import insert_client
from gateway.edge.adapters.tables import oauth_clients
from gateway.edge.domain.secrets_hashing import hash_secret

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def _client(runtime, client_id="mof-erp", secret="s3cret-value", roles=("agency",), agency="MOF", active=True):  # type: ignore[no-untyped-def]
    async with runtime.db.session() as session:
        await insert_client(
            session, client_id=client_id, name="MOF ERP", secret_hash=hash_secret(secret), roles=roles, agency=agency
        )
        if not active:
            await session.execute(
                update(oauth_clients).where(oauth_clients.c.client_id == client_id).values(active=False)
            )
        await session.commit()


def _basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


async def test_client_credentials_give_a_token_the_jwks_verifies_and_the_api_accepts(gateway):
    async with gateway() as (client, runtime):
        await _client(runtime)
        response = await client.post(
            "/oauth2/token", data={"grant_type": "client_credentials"}, headers=_basic("mof-erp", "s3cret-value")
        )
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
        grant = response.json()
        assert grant["token_type"] == "Bearer" and grant["expires_in"] == 3600 and grant["scope"] == "agency"

        jwks = (await client.get("/.well-known/jwks.json")).json()
        discovery = (await client.get("/.well-known/openid-configuration")).json()
        key = jwt.PyJWKSet.from_dict(jwks)[jwt.get_unverified_header(grant["access_token"])["kid"]]
        claims = jwt.decode(
            grant["access_token"], key.key, algorithms=["RS256"], audience="dgplan-api", issuer=discovery["issuer"]
        )
        assert claims["sub"] == "mof-erp" and claims["roles"] == ["agency"] and claims["agency"] == "MOF"
        assert discovery["token_endpoint"].endswith("/oauth2/token")

        forwarded = (
            await client.get("/api/v1/projects", headers={"Authorization": f"Bearer {grant['access_token']}"})
        ).json()
        assert forwarded["identity"]["sub"] == "mof-erp" and forwarded["identity"]["agency"] == "MOF"


async def test_credentials_may_come_in_the_form(gateway):
    async with gateway() as (client, runtime):
        await _client(runtime)
        form = {"grant_type": "client_credentials", "client_id": "mof-erp", "client_secret": "s3cret-value"}
        assert (await client.post("/oauth2/token", data=form)).status_code == 200


async def test_errors_follow_rfc_6749(gateway):
    async with gateway() as (client, runtime):
        await _client(runtime)
        await _client(runtime, client_id="retired", active=False)
        cases = [
            ({"grant_type": "client_credentials"}, _basic("mof-erp", "wrong"), 401, "invalid_client"),
            ({"grant_type": "client_credentials"}, _basic("nobody", "s3cret-value"), 401, "invalid_client"),
            ({"grant_type": "client_credentials"}, _basic("retired", "s3cret-value"), 401, "invalid_client"),
            ({"grant_type": "client_credentials"}, {}, 401, "invalid_client"),
            ({"grant_type": "password"}, _basic("mof-erp", "s3cret-value"), 400, "unsupported_grant_type"),
            (
                {"grant_type": "client_credentials", "scope": "operator"},
                _basic("mof-erp", "s3cret-value"),
                400,
                "invalid_scope",
            ),
        ]
        for form, headers, status, error in cases:
            response = await client.post("/oauth2/token", data=form, headers=headers)
            assert (response.status_code, response.json()["error"]) == (status, error), form
        assert (await client.post("/oauth2/token", json={"grant_type": "client_credentials"})).json()[
            "error"
        ] == "invalid_request"
        wrong = await client.post(
            "/oauth2/token", data={"grant_type": "client_credentials"}, headers=_basic("mof-erp", "x")
        )
        assert wrong.headers["www-authenticate"].startswith("Basic")


async def test_a_narrower_scope_narrows_the_roles(gateway):
    async with gateway() as (client, runtime):
        await _client(runtime, client_id="dga-multi", roles=("secretariat", "operator"), agency=None)
        response = await client.post(
            "/oauth2/token",
            data={"grant_type": "client_credentials", "scope": "secretariat"},
            headers=_basic("dga-multi", "s3cret-value"),
        )
        token = response.json()["access_token"]
        assert (
            await client.get("/api/v1/admin/clients", headers={"Authorization": f"Bearer {token}"})
        ).status_code == 403


async def test_issuer_turned_off_means_no_tokens(gateway):
    async with gateway(builtin_issuer=False) as (client, _):
        response = await client.post(
            "/oauth2/token", data={"grant_type": "client_credentials"}, headers=_basic("a", "b")
        )
        assert response.status_code == 400 and response.json()["error"] == "unsupported_grant_type"
        assert (await client.get("/.well-known/jwks.json")).json() == {"keys": []}


async def test_the_signing_key_exists_once_the_gateway_has_started(gateway):
    """The first token must not create the key inside its own unit of work (that deadlocked SQLite
    for 30 s): the edge makes it at start-up, before any request holds a lock."""
    from sqlalchemy import func, select  # lazy: only this test counts rows

    from gateway.edge.adapters.tables import signing_keys  # lazy: as above

    async with gateway() as (client, runtime):
        async with runtime.db.session() as session:
            assert await session.scalar(select(func.count()).select_from(signing_keys)) == 1
        await _client(runtime)
        first = await client.post(
            "/oauth2/token", data={"grant_type": "client_credentials"}, headers=_basic("mof-erp", "s3cret-value")
        )
        assert first.status_code == 200, first.text
