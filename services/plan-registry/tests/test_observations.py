"""Observations: raised on a version or a node; open -> responded -> accepted | rejected -> closed."""

import pytest


@pytest.fixture
async def v2(client, seeded, secretariat, idem):  # type: ignore[no-untyped-def]
    return (await client.post(f"/api/v1/plans/{seeded['id']}/versions", json={}, headers=secretariat | idem())).json()


async def test_the_full_lifecycle_by_the_raising_body_and_the_secretariat(client, seeded, v2, secretariat, identity, idem, db):
    from registry_test_helpers import outbox_events, validate_event

    nesdc = identity("body_member", bodies=["nesdc"], subject="nesdc-member")
    path = f"/api/v1/plans/{seeded['id']}/versions/{v2['id']}/observations"
    body = {"raised_by_body": "nesdc", "text": {"th": "ควรจัดลำดับความสำคัญของโครงการ", "en": "Rank the projects"}}
    raised = await client.post(path, json=body, headers=nesdc | idem())
    assert raised.status_code == 201 and raised.json()["status"] == "open"
    oid = raised.json()["id"]
    assert (await client.post(path, json={**body, "raised_by_body": "cabinet"}, headers=nesdc | idem())).status_code == 403

    assert (await client.post(f"/api/v1/observations/{oid}/responses", json={"text": {"th": "ก", "en": "x"}}, headers=nesdc | idem())).status_code == 403
    early_close = await client.post(f"/api/v1/observations/{oid}/close", headers=nesdc)
    assert early_close.status_code == 409  # an open observation must be answered first
    responded = await client.post(f"/api/v1/observations/{oid}/responses",
                                  json={"text": {"th": "จัดลำดับแล้ว", "en": "Ranked"}}, headers=secretariat | idem())
    assert responded.json()["status"] == "responded" and responded.json()["response"]["th"] == "จัดลำดับแล้ว"
    other_body = identity("body_member", bodies=["cabinet"])
    assert (await client.post(f"/api/v1/observations/{oid}/resolution", json={"decision": "accepted"}, headers=other_body)).status_code == 403
    accepted = await client.post(f"/api/v1/observations/{oid}/resolution", json={"decision": "accepted", "reason": "ok"}, headers=nesdc)
    assert accepted.json()["status"] == "accepted"
    closed = await client.post(f"/api/v1/observations/{oid}/close", headers=nesdc)
    assert closed.json()["status"] == "closed"

    late = await client.post(f"/api/v1/observations/{oid}/responses", json={"text": {"th": "อีก", "en": "More"}}, headers=secretariat | idem())
    assert late.status_code == 409 and late.json()["type"].endswith("observation-closed")
    types = [e["type"].split(".")[3] for e in await outbox_events(db) if ".observation." in e["type"]]
    assert types == ["raised", "responded", "closed"]
    for e in await outbox_events(db):
        if ".observation." in e["type"]:
            validate_event(e)
    listed = (await client.get("/api/v1/observations", params={"version_id": v2["id"], "status": "closed"}, headers=secretariat)).json()
    assert [o["id"] for o in listed["items"]] == [oid]


async def test_observation_on_a_node_must_name_a_node_of_that_version(client, seeded, v2, secretariat, idem):
    path = f"/api/v1/plans/{seeded['id']}/versions/{v2['id']}/observations"
    body = {"raised_by_body": "nesdc", "text": {"th": "ก", "en": "x"}, "node_id": "missing"}
    response = await client.post(path, json=body, headers=secretariat | idem())
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "node_id"
    nodes = (await client.get(f"/api/v1/plans/{seeded['id']}/versions/{v2['id']}/nodes", params={"q": "S3", "node_type": "strategy"}, headers=secretariat)).json()
    ok = await client.post(path, json={**body, "node_id": nodes["items"][0]["id"]}, headers=secretariat | idem())
    assert ok.status_code == 201 and ok.json()["node_id"] == nodes["items"][0]["id"]
    rejected = await client.post(f"/api/v1/observations/{ok.json()['id']}/resolution", json={"decision": "rejected"}, headers=secretariat)
    assert rejected.status_code == 409  # not responded yet


async def test_observations_on_drafts_are_not_public(client, seeded, v2, secretariat, idem):
    path = f"/api/v1/plans/{seeded['id']}/versions/{v2['id']}/observations"
    oid = (await client.post(path, json={"raised_by_body": "nesdc", "text": {"th": "ก", "en": "x"}}, headers=secretariat | idem())).json()["id"]
    assert (await client.get(f"/api/v1/observations/{oid}")).status_code == 401
    public = (await client.get("/api/v1/observations")).json()["items"]
    assert oid not in [o["id"] for o in public] and len(public) == 3  # the seeded NESDC ones


async def test_an_agency_sees_draft_observations_only_on_its_own_nodes(client, seeded, v2, secretariat, idem, identity):
    nodes = (await client.get(f"/api/v1/plans/{seeded['id']}/versions/{v2['id']}/nodes", params={"node_type": "strategy"}, headers=secretariat)).json()["items"]
    s1, s3 = nodes[0], nodes[2]
    path = f"/api/v1/plans/{seeded['id']}/versions/{v2['id']}/observations"
    on_s1 = (await client.post(path, json={"raised_by_body": "nesdc", "text": {"th": "ก", "en": "x"}, "node_id": s1["id"]}, headers=secretariat | idem())).json()
    on_s3 = (await client.post(path, json={"raised_by_body": "nesdc", "text": {"th": "ข", "en": "y"}, "node_id": s3["id"]}, headers=secretariat | idem())).json()
    mof = identity("agency", agency="MOF")  # responsible on S1 only
    seen = [o["id"] for o in (await client.get("/api/v1/observations", params={"version_id": v2["id"]}, headers=mof)).json()["items"]]
    assert seen == [on_s1["id"]]
    assert (await client.get(f"/api/v1/observations/{on_s1['id']}", headers=mof)).status_code == 200
    assert (await client.get(f"/api/v1/observations/{on_s3['id']}", headers=mof)).status_code == 404


async def test_observations_page_oldest_first(client, seeded, v2, secretariat, idem):
    path = f"/api/v1/plans/{seeded['id']}/versions/{v2['id']}/observations"
    raised = []
    for i in range(3):
        raised.append((await client.post(path, json={"raised_by_body": "nesdc", "text": {"th": f"ข้อ {i}", "en": f"No {i}"}}, headers=secretariat | idem())).json()["id"])
    seen, cursor = [], None
    while True:
        params = {"version_id": v2["id"], "limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/observations", params=params, headers=secretariat)).json()
        seen += [o["id"] for o in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == raised
