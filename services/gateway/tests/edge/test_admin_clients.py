"""Operators manage the issuer's clients: idempotent creation (the secret shown once, the same on
a retry), ETag/If-Match updates, secret rotation, cursor pages; nobody else may."""

from __future__ import annotations

import pytest

NEW = {"client_id": "mof-erp", "name": "MOF ERP", "roles": ["agency"], "agency": "MOF"}


async def _token(client, client_id: str, secret: str) -> int:  # type: ignore[no-untyped-def]
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    return (await client.post("/oauth2/token", data=form)).status_code


@pytest.fixture
async def admin(gateway, bearer):  # type: ignore[no-untyped-def]
    async with gateway() as (client, runtime):
        client.headers.update(await bearer(runtime, "operator", subject="ops"))
        yield client, runtime


async def test_creation_is_idempotent_and_the_secret_works(admin):
    client, _ = admin
    first = await client.post("/api/v1/admin/clients", json=NEW, headers={"Idempotency-Key": "k1"})
    assert first.status_code == 201
    again = await client.post("/api/v1/admin/clients", json=NEW, headers={"Idempotency-Key": "k1"})
    assert again.status_code == 200
    assert again.json() == first.json()
    listed = [c for c in (await client.get("/api/v1/admin/clients")).json()["items"] if c["client_id"] != "ops"]
    assert [c["client_id"] for c in listed] == ["mof-erp"]
    assert "client_secret" not in listed[0] and "secret_hash" not in listed[0]
    assert await _token(client, "mof-erp", first.json()["client_secret"]) == 200


async def test_a_reused_key_with_another_body_and_a_duplicate_id_are_refused(admin):
    client, _ = admin
    assert (await client.post("/api/v1/admin/clients", json=NEW, headers={"Idempotency-Key": "k1"})).status_code == 201
    other = {**NEW, "name": "something else"}
    reused = await client.post("/api/v1/admin/clients", json=other, headers={"Idempotency-Key": "k1"})
    assert reused.status_code == 422 and reused.json()["type"].endswith("idempotency-key-reused")
    duplicate = await client.post("/api/v1/admin/clients", json=NEW, headers={"Idempotency-Key": "k2"})
    assert duplicate.status_code == 409
    missing = await client.post("/api/v1/admin/clients", json=NEW)
    assert missing.status_code == 428


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW, "agency": None}, "agency"),
        ({**NEW, "roles": ["secretariat"]}, "agency"),
        ({**NEW, "roles": ["king"]}, "roles"),
        ({**NEW, "roles": ["public"]}, "roles"),
        ({**NEW, "client_id": "Bad Id"}, "client_id"),
        ({**NEW, "agency": "mof"}, "agency"),
        ({**NEW, "extra": 1}, "extra"),
    ],
)
async def test_invalid_clients_are_422_naming_the_field(admin, body, field):
    client, _ = admin
    response = await client.post("/api/v1/admin/clients", json=body, headers={"Idempotency-Key": "k"})
    assert response.status_code == 422
    assert field in response.json()["detail"]
    listed = (await client.get("/api/v1/admin/clients")).json()["items"]
    assert [c["client_id"] for c in listed] == ["ops"]  # only the operator's own client


async def test_updates_need_the_current_etag(admin):
    client, _ = admin
    await client.post("/api/v1/admin/clients", json=NEW, headers={"Idempotency-Key": "k1"})
    read = await client.get("/api/v1/admin/clients/mof-erp")
    etag = read.headers["etag"]
    assert (await client.patch("/api/v1/admin/clients/mof-erp", json={"active": False})).status_code == 428
    changed = await client.patch("/api/v1/admin/clients/mof-erp", json={"active": False}, headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.json()["active"] is False and changed.headers["etag"] != etag
    stale = await client.patch("/api/v1/admin/clients/mof-erp", json={"name": "x"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert (await client.get("/api/v1/admin/clients/nobody")).status_code == 404


async def test_a_deactivated_client_gets_no_token_and_rotation_replaces_the_secret(admin):
    client, _ = admin
    created = (await client.post("/api/v1/admin/clients", json=NEW, headers={"Idempotency-Key": "k1"})).json()
    rotated = await client.post("/api/v1/admin/clients/mof-erp/secret", headers={"Idempotency-Key": "r1"})
    assert rotated.status_code == 200
    again = await client.post("/api/v1/admin/clients/mof-erp/secret", headers={"Idempotency-Key": "r1"})
    assert again.json()["client_secret"] == rotated.json()["client_secret"]
    assert await _token(client, "mof-erp", created["client_secret"]) == 401
    assert await _token(client, "mof-erp", rotated.json()["client_secret"]) == 200
    etag = (await client.get("/api/v1/admin/clients/mof-erp")).headers["etag"]
    await client.patch("/api/v1/admin/clients/mof-erp", json={"active": False}, headers={"If-Match": etag})
    assert await _token(client, "mof-erp", rotated.json()["client_secret"]) == 401


async def test_pages_filters_and_bad_cursors(admin):
    client, _ = admin
    for i in range(5):
        body = (
            {**NEW, "client_id": f"client-{i}"}
            if i % 2
            else {"client_id": f"client-{i}", "name": "x", "roles": ["secretariat"]}
        )
        await client.post("/api/v1/admin/clients", json=body, headers={"Idempotency-Key": f"k{i}"})
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/v1/admin/clients", params=params)).json()
        seen += [c["client_id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"client-{i}" for i in range(5)] + ["ops"]
    agencies = (await client.get("/api/v1/admin/clients", params={"role": "agency"})).json()["items"]
    assert [c["client_id"] for c in agencies] == ["client-1", "client-3"]
    assert (await client.get("/api/v1/admin/clients", params={"cursor": "!!"})).status_code == 422


async def test_only_operators_manage_clients(gateway, bearer):
    async with gateway() as (client, runtime):
        for role in ("secretariat", "agency", "body_member", "service"):
            headers = {
                **await bearer(runtime, role, agency="MOF" if role == "agency" else None),
                "Idempotency-Key": "k",
            }
            assert (await client.post("/api/v1/admin/clients", json=NEW, headers=headers)).status_code == 403
        assert (
            await client.post("/api/v1/admin/clients", json=NEW, headers={"Idempotency-Key": "k"})
        ).status_code == 401


async def test_deactivating_a_client_cuts_off_its_live_tokens(gateway, bearer):
    async with gateway(membership_cache_seconds=0) as (client, runtime):
        operator = await bearer(runtime, "operator", subject="ops")
        created = (
            await client.post("/api/v1/admin/clients", json=NEW, headers={**operator, "Idempotency-Key": "k"})
        ).json()
        form = {"grant_type": "client_credentials", "client_id": "mof-erp", "client_secret": created["client_secret"]}
        token = {"Authorization": f"Bearer {(await client.post('/oauth2/token', data=form)).json()['access_token']}"}
        assert (await client.get("/api/v1/projects", headers=token)).status_code == 200
        etag = (await client.get("/api/v1/admin/clients/mof-erp", headers=operator)).headers["etag"]
        await client.patch(
            "/api/v1/admin/clients/mof-erp", json={"active": False}, headers={**operator, "If-Match": etag}
        )
        cut_off = await client.get("/api/v1/projects", headers=token)
        assert cut_off.status_code == 401
        assert "deactivated" in cut_off.headers["www-authenticate"]
