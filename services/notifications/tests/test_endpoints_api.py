"""The subscription API: who may subscribe what, the secret shown once, If-Match, idempotency, refusals."""

import uuid

import pytest
from sqlalchemy import func, select

from dgplan_contracts.identity import AGENCY, BODY_MEMBER, OPERATOR, PUBLIC, SECRETARIAT
from notifications.adapters.secret_box import SecretBox
from notifications.adapters.tables import endpoint_secrets, endpoints

BASE = "/api/v1/webhooks/endpoints"


@pytest.fixture
def settings(database_url):
    from notifications.settings import Settings

    return Settings(database_url=database_url, bus="memory", webhook_allowlist="127.0.0.1")


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


async def create(client, headers, **body):
    body.setdefault("url", "http://127.0.0.1:9/hook")
    return await client.post(BASE, json=body, headers={**headers, **key()})


async def test_an_agency_subscribes_its_own_agency_and_sees_the_secret_once(client, identity):
    mof = identity(AGENCY, agency="MOF", subject="mof-system")
    created = await create(client, mof, event_types=["dgplan.budget-ledger.screening.*"], description="ERP")
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["agency"] == "MOF" and body["owner"] == "mof-system"
    assert created.headers["ETag"]
    read = await client.get(f"{BASE}/{body['id']}", headers=mof)
    assert read.status_code == 200 and "secret" not in read.json()
    assert read.json()["event_types"] == ["dgplan.budget-ledger.screening.*"]
    listed = await client.get(BASE, headers=mof)
    assert [e["id"] for e in listed.json()["items"]] == [body["id"]]
    assert all("secret" not in e for e in listed.json()["items"])


async def test_agencies_never_see_or_scope_to_another_agency(client, identity):
    mof = identity(AGENCY, agency="MOF")
    opdc = identity(AGENCY, agency="OPDC")
    mine = (await create(client, mof)).json()
    assert (await client.get(f"{BASE}/{mine['id']}", headers=opdc)).status_code == 404
    assert (await client.get(BASE, headers=opdc)).json()["items"] == []
    refused = await create(client, opdc, agency="MOF")
    assert refused.status_code == 403
    patch = await client.patch(f"{BASE}/{mine['id']}", json={"description": "x"}, headers={**opdc, "If-Match": "*"})
    assert patch.status_code == 404


async def test_secretariat_subscribes_to_everything_or_for_an_agency_and_sees_all(client, identity):
    sec = identity(SECRETARIAT)
    everything = (await create(client, sec)).json()
    assert everything["agency"] is None
    scoped = (await create(client, identity(OPERATOR), agency="OPDC")).json()
    assert scoped["agency"] == "OPDC"
    mof_owned = (await create(client, identity(AGENCY, agency="MOF"))).json()
    ids = {e["id"] for e in (await client.get(BASE, headers=sec, params={"limit": 200})).json()["items"]}
    assert {everything["id"], scoped["id"], mof_owned["id"]} <= ids


@pytest.mark.parametrize("roles", [(PUBLIC,), (BODY_MEMBER,)])
async def test_callers_without_a_managing_role_are_refused(client, identity, roles):
    answer = await create(client, identity(*roles))
    assert answer.status_code in (401, 403)
    assert answer.headers["content-type"].startswith("application/problem+json")


async def test_create_needs_an_idempotency_key_and_a_retry_has_one_effect(client, identity, db):
    mof = identity(AGENCY, agency="MOF")
    missing = await client.post(BASE, json={"url": "http://127.0.0.1:9/hook"}, headers=mof)
    assert missing.status_code == 428
    same = {**mof, **key()}
    first = await client.post(BASE, json={"url": "http://127.0.0.1:9/hook"}, headers=same)
    again = await client.post(BASE, json={"url": "http://127.0.0.1:9/hook"}, headers=same)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again.headers.get("Idempotent-Replayed") == "true"
    other = await client.post(BASE, json={"url": "http://127.0.0.1:8/hook"}, headers=same)
    assert other.status_code == 422
    async with db.session() as session:
        assert (await session.execute(select(func.count()).select_from(endpoints))).scalar_one() == 1


@pytest.mark.parametrize("url, why", [
    ("http://hooks.example.org/x", "https"),
    ("https://10.1.2.3/x", "private"),
    ("https://169.254.169.254/latest/meta-data", "link-local"),
    ("https://localhost/x", "loopback"),
])
async def test_ssrf_targets_are_refused_with_the_reason_and_nothing_is_written(client, identity, db, url, why):
    answer = await create(client, identity(SECRETARIAT), url=url)
    assert answer.status_code == 422
    assert why in answer.json()["detail"]
    async with db.session() as session:
        assert (await session.execute(select(func.count()).select_from(endpoints))).scalar_one() == 0


async def test_bad_filters_and_unknown_fields_are_422_naming_the_field(client, identity):
    sec = identity(SECRETARIAT)
    bad = await create(client, sec, event_types=["dgplan.budget*"])
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "event_types[0]"
    extra = await create(client, sec, colour="red")
    assert extra.status_code == 422


async def test_updates_need_the_current_etag(client, identity):
    sec = identity(SECRETARIAT)
    created = await create(client, sec)
    ident, etag = created.json()["id"], created.headers["ETag"]
    assert (await client.patch(f"{BASE}/{ident}", json={"description": "a"}, headers=sec)).status_code == 428
    changed = await client.patch(f"{BASE}/{ident}", json={"description": "a", "enabled": False},
                                 headers={**sec, "If-Match": etag})
    assert changed.status_code == 200 and changed.json()["status"] == "disabled"
    stale = await client.patch(f"{BASE}/{ident}", json={"description": "b"}, headers={**sec, "If-Match": etag})
    assert stale.status_code == 412
    enabled = await client.patch(f"{BASE}/{ident}", json={"enabled": True},
                                 headers={**sec, "If-Match": changed.headers["ETag"]})
    assert enabled.json()["status"] == "active" and enabled.json()["disabled_reason"] is None
    bad_url = await client.patch(f"{BASE}/{ident}", json={"url": "https://10.0.0.1/"},
                                 headers={**sec, "If-Match": enabled.headers["ETag"]})
    assert bad_url.status_code == 422


async def test_delete_needs_the_etag_and_then_the_endpoint_is_gone(client, identity):
    sec = identity(SECRETARIAT)
    created = await create(client, sec)
    ident = created.json()["id"]
    assert (await client.delete(f"{BASE}/{ident}", headers=sec)).status_code == 428
    assert (await client.delete(f"{BASE}/{ident}", headers={**sec, "If-Match": created.headers["ETag"]})).status_code == 204
    assert (await client.get(f"{BASE}/{ident}", headers=sec)).status_code == 404


async def test_rotation_returns_a_new_secret_and_keeps_the_old_for_the_overlap(client, identity, db):
    sec = identity(SECRETARIAT)
    created = (await create(client, sec)).json()
    rotated = await client.post(f"{BASE}/{created['id']}/secret/rotate", json={"overlap_seconds": 600},
                                headers={**sec, **key()})
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["secret"].startswith("whsec_") and rotated.json()["secret"] != created["secret"]
    async with db.session() as session:
        rows = (await session.execute(select(endpoint_secrets.c.encrypted_secret, endpoint_secrets.c.expires_at)
                                      .order_by(endpoint_secrets.c.id))).all()
    # Stored encrypted: the column never holds the secret, but the configured key opens it.
    assert all("whsec_" not in r.encrypted_secret for r in rows)
    box = SecretBox.from_setting("")
    assert [box.open(r.encrypted_secret) for r in rows] == [created["secret"], rotated.json()["secret"]]
    assert rows[0].expires_at is not None and rows[1].expires_at is None
    too_long = await client.post(f"{BASE}/{created['id']}/secret/rotate", json={"overlap_seconds": 10**9},
                                 headers={**sec, **key()})
    assert too_long.status_code == 422
