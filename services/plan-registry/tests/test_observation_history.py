"""Issue 16 item 18: an observation keeps every response and resolution, with who, when and why."""

import asyncio
from datetime import datetime, timezone

import pytest
from sqlalchemy import insert, select

from dgplan_shared.db.engine import build_engine
from dgplan_shared.db.migrations import downgrade, upgrade

from plan_registry.adapters.tables import observation_history, observations, plan_versions, plans
from plan_registry.definition import definition


@pytest.fixture
async def v2(client, seeded, secretariat, idem):  # type: ignore[no-untyped-def]
    return (await client.post(f"/api/v1/plans/{seeded['id']}/versions", json={}, headers=secretariat | idem())).json()


async def test_every_response_and_resolution_is_kept_and_readable(client, seeded, v2, secretariat, identity, idem):
    nesdc = identity("body_member", bodies=["nesdc"], subject="nesdc-member")
    path = f"/api/v1/plans/{seeded['id']}/versions/{v2['id']}/observations"
    oid = (await client.post(path, json={"raised_by_body": "nesdc", "text": {"th": "ควรมีตัวชี้วัด", "en": "Add indicators"}},
                             headers=nesdc | idem())).json()["id"]
    answers = [{"th": "จะเพิ่มภายหลัง", "en": "Later"}, {"th": "เพิ่มตัวชี้วัดแล้ว", "en": "Indicators added"}]
    for answer in answers:
        assert (await client.post(f"/api/v1/observations/{oid}/responses", json={"text": answer},
                                  headers=secretariat | idem())).status_code == 201
    await client.post(f"/api/v1/observations/{oid}/resolution", json={"decision": "rejected", "reason": "no baseline"}, headers=nesdc)
    await client.post(f"/api/v1/observations/{oid}/close", headers=nesdc)

    response = await client.get(f"/api/v1/observations/{oid}/history", headers=secretariat)
    assert response.status_code == 200, response.text
    steps = response.json()["items"]
    assert [(s["action"], s["status"], s["actor"]) for s in steps] == [
        ("raised", "open", "nesdc-member"),
        ("responded", "responded", "dga-officer"),
        ("responded", "responded", "dga-officer"),
        ("rejected", "rejected", "nesdc-member"),
        ("closed", "closed", "nesdc-member"),
    ]
    assert [s["text"] for s in steps[1:3]] == answers  # the first response too, not only the latest
    assert steps[3]["reason"] == "no baseline"
    times = [datetime.fromisoformat(s["at"]) for s in steps]
    assert times == sorted(times) and all(t.tzinfo is not None for t in times)
    # The observation itself still shows the latest response only.
    assert (await client.get(f"/api/v1/observations/{oid}", headers=secretariat)).json()["response"] == answers[1]


async def test_history_is_as_visible_as_the_observation(client, seeded, v2, secretariat, identity, idem):
    oid = (await client.post(f"/api/v1/plans/{seeded['id']}/versions/{v2['id']}/observations",
                             json={"raised_by_body": "nesdc", "text": {"th": "ก", "en": "x"}}, headers=secretariat | idem())).json()["id"]
    assert (await client.get(f"/api/v1/observations/{oid}/history")).status_code == 401  # a draft's, not public
    assert (await client.get("/api/v1/observations/nope/history", headers=secretariat)).status_code == 404
    seeded_obs = (await client.get("/api/v1/observations", params={"version_id": seeded["approved_version_id"]})).json()["items"]
    public = (await client.get(f"/api/v1/observations/{seeded_obs[0]['id']}/history")).json()["items"]
    assert [(s["action"], s["status"], s["actor"]) for s in public] == [("imported", "closed", "seed")]


def test_the_history_is_in_the_openapi_document():
    from dgplan_shared.service import create_service_app

    document = create_service_app(definition()).openapi()
    operation = document["paths"]["/api/v1/observations/{observation_id}/history"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert "ObservationStepOut" in str(schema) or "$ref" in str(schema)
    step = document["components"]["schemas"]["ObservationStepOut"]
    assert set(step["properties"]) == {"at", "actor", "action", "status", "text", "reason"}


async def test_the_migration_gives_existing_observations_the_history_their_rows_tell(fresh_database_url):
    url = await fresh_database_url()
    await asyncio.to_thread(downgrade, definition().migrations, url, "0003")
    t0, t1, t2 = (datetime(2026, 11, d, tzinfo=timezone.utc) for d in (1, 2, 3))
    engine = build_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(plans).values(id="p", code="P", title_th="ก", title_en="P", start_fy=2563, end_fy=2565,
                                                    latest_version_id="v", created_at=t0))
            await conn.execute(insert(plan_versions).values(id="v", plan_id="p", number=1, status="draft", created_at=t0))
            # Every row names every column: an executemany takes its columns from the first row.
            base = {"plan_id": "p", "version_id": "v", "raised_by_body": "nesdc", "text_th": "ก", "text_en": "x",
                    "created_at": t0, "response_th": None, "response_en": None, "responded_by": None,
                    "responded_at": None, "closed_at": None, "resolution_reason": None}
            await conn.execute(insert(observations), [
                {**base, "id": "o-open", "status": "open"},
                {**base, "id": "o-closed", "status": "closed", "response_th": "ตอบ", "response_en": "answer",
                 "responded_by": "dga-officer", "responded_at": t1, "closed_at": t2},
                {**base, "id": "o-accepted", "status": "accepted", "response_th": "ตอบ", "response_en": "answer",
                 "responded_by": "dga-officer", "responded_at": t1, "resolution_reason": "fine"},
            ])
        await asyncio.to_thread(upgrade, definition().migrations, url)
        async with engine.connect() as conn:
            rows = (await conn.execute(select(observation_history).order_by(
                observation_history.c.observation_id, observation_history.c.at, observation_history.c.id))).all()
    finally:
        await engine.dispose()
    steps = [(r.observation_id, r.action, r.actor) for r in rows]
    assert steps == [
        ("o-accepted", "raised", "nesdc"), ("o-accepted", "responded", "dga-officer"), ("o-accepted", "accepted", "nesdc"),
        ("o-closed", "raised", "nesdc"), ("o-closed", "responded", "dga-officer"), ("o-closed", "closed", "nesdc"),
        ("o-open", "raised", "nesdc"),
    ]
    assert next(r for r in rows if r.action == "responded").text_th == "ตอบ"
    assert next(r for r in rows if r.action == "accepted").reason == "fine"
