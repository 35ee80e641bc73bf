"""Every event the ledger publishes validates against its checked-in JSON Schema, and every schema
is written in the platform's one style: it describes the event's ``data`` only (the CloudEvents
envelope around it is the same for every event and described once, in docs/events.md)."""

import json
from datetime import datetime, timedelta, timezone

import jsonschema
import orjson
from sqlalchemy import select

from budget_ledger.adapters.tables import outbox
from budget_ledger.events.types import PACKAGE_APPROVED, PUBLISHED, SCHEMA_DIR, schema_path
from dgplan_shared.events import CloudEvent

S = "/api/v1/screening"


ENVELOPE_ATTRIBUTES = {"specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data"}


def test_every_published_type_has_a_valid_schema_of_its_data_only():
    assert {p.stem for p in SCHEMA_DIR.glob("*.json")} == set(PUBLISHED)  # no schema of a type we do not publish
    for event_type in PUBLISHED:
        schema = json.loads(schema_path(event_type).read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$id"] == f"urn:dgplan:event:{event_type}" and schema["title"] == event_type
        assert schema["type"] == "object" and schema["description"], event_type
        assert set(schema["properties"]).isdisjoint(ENVELOPE_ATTRIBUTES), (
            f"{event_type}: the schema describes the envelope, not the data")
        assert not set(schema["required"]) & {"specversion", "id", "data"}, event_type
        assert schema.get("additionalProperties") is True, f"{event_type}: consumers must tolerate new fields"


async def _drive_every_event(client, who, h, feed):
    now = datetime.now(timezone.utc)
    rnd = (await client.post(f"{S}/rounds", json={"plan_id": "plan-dgdp", "fiscal_year": 2565, "ceiling": "1000000.00",
           "submission_deadline": (now + timedelta(days=1)).isoformat(), "decision_deadline": (now + timedelta(days=2)).isoformat()},
           headers={**who.secretariat(), **h.key("o")})).json()
    req = (await client.post(f"{S}/rounds/{rnd['round_id']}/requests", json={"project_id": "p-mof", "amounts": {"investment": "500.00"},
           "justification": "ทดสอบ"}, headers={**who.agency("MOF"), **h.key("r")})).json()
    await client.post(f"{S}/requests/{req['request_id']}/decisions", json={"decision": "return", "reason": "แก้ไข", "meeting": h.meeting},
                      headers={**who.member(), **h.key("d1")})
    etag = (await client.get(f"{S}/requests/{req['request_id']}", headers=who.agency("MOF"))).headers["etag"]
    await client.post(f"{S}/requests/{req['request_id']}/revision", json={"project_id": "p-mof", "amounts": {"investment": "400.00"},
                      "justification": "แก้แล้ว"}, headers={**who.agency("MOF"), **h.key("rv"), "If-Match": etag})
    await client.post(f"{S}/requests/{req['request_id']}/decisions", json={"decision": "recommend-full", "reason": "ดี", "rank": 1,
                      "meeting": h.meeting},
                      headers={**who.member(), **h.key("d2")})
    criteria = {"criteria": [{"code": "need", "name": {"th": "ความจำเป็น", "en": "Need"}, "weight": "1"}]}
    await client.put(f"{S}/rounds/{rnd['round_id']}/ranking/criteria", json=criteria, headers=who.secretariat())
    await client.put(f"{S}/rounds/{rnd['round_id']}/ranking/scores", headers=who.secretariat(), json={
        "scores": [{"request_id": req["request_id"], "criterion": "need", "score": "80", "reason": "จำเป็น"}]})
    await client.post(f"{S}/rounds/{rnd['round_id']}/package", json={}, headers={**who.member(), **h.key("p")})
    await feed(PACKAGE_APPROVED, rnd["round_id"], {"instance_id": "i", "round_id": rnd["round_id"], "fiscal_year": 2565,
               "body": "digital-government-committee", "decided_at": now.isoformat(), "reason": "ok"}, "gateway")
    for stage, amount in (("committed", "300.00"), ("disbursed", "100.00")):
        r = await client.post("/api/v1/budget/postings", json={"project_id": "p-mof", "fiscal_year": 2565, "expense_category": "investment",
                              "stage": stage, "amount": amount}, headers={**who.agency("MOF"), **h.key(stage)})
        assert r.status_code == 201, r.text
    await client.post(f"{S}/rounds/{rnd['round_id']}/close", json={}, headers={**who.secretariat(), **h.key("c")})


async def test_published_events_validate_against_their_schemas(client, who, h, seeded, feed, db):
    await _drive_every_event(client, who, h, feed)
    async with db.session() as s:
        rows = (await s.execute(select(outbox.c.event_type, outbox.c.envelope))).all()
    seen = set()
    checker = jsonschema.FormatChecker()
    for event_type, envelope in rows:
        event = CloudEvent.from_json(envelope.encode())
        assert (event.type, event.source) == (event_type, "/dgplan/budget-ledger")
        schema = json.loads(schema_path(event_type).read_text())
        jsonschema.validate(orjson.loads(envelope)["data"], schema, format_checker=checker)
        seen.add(event_type)
    assert seen == set(PUBLISHED)
