"""The delivery routes over HTTP: a test event is scheduled, listed, replayed; others see nothing."""

import uuid

import pytest

from dgplan_contracts.identity import AGENCY, SECRETARIAT

BASE = "/api/v1/webhooks/endpoints"


@pytest.fixture
def settings(database_url):
    from notifications.settings import Settings

    return Settings(database_url=database_url, bus="memory", webhook_allowlist="127.0.0.1")


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


async def test_a_test_event_is_scheduled_listed_and_replayed_with_its_id(client, identity):
    mof = identity(AGENCY, agency="MOF")
    endpoint = (await client.post(BASE, json={"url": "http://127.0.0.1:9/hook"}, headers={**mof, **key()})).json()
    sent = await client.post(f"{BASE}/{endpoint['id']}/test", headers={**mof, **key()})
    assert sent.status_code == 202, sent.text
    delivery_id = sent.json()["delivery_id"]
    listed = (await client.get(f"{BASE}/{endpoint['id']}/deliveries", headers=mof)).json()
    assert [d["id"] for d in listed["items"]] == [delivery_id]
    assert listed["items"][0]["status"] == "pending" and listed["items"][0]["attempts"] == []
    one = await client.get(f"{BASE}/{endpoint['id']}/deliveries/{delivery_id}", headers=mof)
    assert one.status_code == 200 and one.json()["event_type"] == "dgplan.notifications.endpoint.test-requested.v1"
    again = await client.post(f"{BASE}/{endpoint['id']}/deliveries/{delivery_id}/replay", headers={**mof, **key()})
    assert again.status_code == 202 and again.json()["scheduled"] == 1
    since = await client.post(f"{BASE}/{endpoint['id']}/replay", json={"since": "2020-01-01T00:00:00Z"},
                              headers={**mof, **key()})
    assert since.status_code == 202 and since.json()["scheduled"] == 1
    assert (await client.post(f"{BASE}/{endpoint['id']}/replay", json={"since": "2020-01-01T00:00:00Z"},
                              headers=mof)).status_code == 428


async def test_another_agency_cannot_read_replay_or_test_an_endpoint(client, identity):
    mof = identity(AGENCY, agency="MOF")
    opdc = identity(AGENCY, agency="OPDC")
    endpoint = (await client.post(BASE, json={"url": "http://127.0.0.1:9/hook"}, headers={**mof, **key()})).json()
    delivery_id = (await client.post(f"{BASE}/{endpoint['id']}/test", headers={**mof, **key()})).json()["delivery_id"]
    for answer in (
        await client.get(f"{BASE}/{endpoint['id']}/deliveries", headers=opdc),
        await client.get(f"{BASE}/{endpoint['id']}/deliveries/{delivery_id}", headers=opdc),
        await client.post(f"{BASE}/{endpoint['id']}/test", headers={**opdc, **key()}),
        await client.post(f"{BASE}/{endpoint['id']}/deliveries/{delivery_id}/replay", headers={**opdc, **key()}),
        await client.post(f"{BASE}/{endpoint['id']}/replay", json={"since": "2020-01-01T00:00:00Z"},
                          headers={**opdc, **key()}),
    ):
        assert answer.status_code == 404
    assert (await client.get(f"{BASE}/{endpoint['id']}/deliveries", headers=identity(SECRETARIAT))).status_code == 200


async def test_replay_since_refuses_a_time_without_zone_or_in_the_future(client, identity):
    sec = identity(SECRETARIAT)
    endpoint = (await client.post(BASE, json={"url": "http://127.0.0.1:9/hook"}, headers={**sec, **key()})).json()
    for since in ("2020-01-01T00:00:00", "2999-01-01T00:00:00Z"):
        answer = await client.post(f"{BASE}/{endpoint['id']}/replay", json={"since": since}, headers={**sec, **key()})
        assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "since"


async def test_a_disabled_endpoint_gets_no_test_event(client, identity):
    sec = identity(SECRETARIAT)
    created = await client.post(BASE, json={"url": "http://127.0.0.1:9/hook"}, headers={**sec, **key()})
    ident = created.json()["id"]
    await client.patch(f"{BASE}/{ident}", json={"enabled": False}, headers={**sec, "If-Match": created.headers["ETag"]})
    assert (await client.post(f"{BASE}/{ident}/test", headers={**sec, **key()})).status_code == 409
