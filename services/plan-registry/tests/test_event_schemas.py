"""Every event type the registry publishes has a JSON Schema, and every published event validates."""

from importlib import resources

import jsonschema

from plan_registry.events.types import PUBLISHED_TYPES
from registry_test_helpers import governance_record, outbox_events, schema_for


def test_a_schema_per_published_type_and_no_stray_schema():
    files = {p.name for p in resources.files("plan_registry.events.schemas").iterdir() if p.name.endswith(".json")}
    assert files == {f"{t}.json" for t in PUBLISHED_TYPES}
    for event_type in PUBLISHED_TYPES:
        jsonschema.Draft202012Validator.check_schema(schema_for(event_type))


async def test_every_event_of_a_full_scenario_validates_against_its_schema(client, seeded, secretariat, idem, runtime, db):
    plan_id = seeded["id"]
    v2 = (await client.post(f"/api/v1/plans/{plan_id}/versions", json={}, headers=secretariat | idem())).json()
    nodes = (await client.get(f"/api/v1/plans/{plan_id}/versions/{v2['id']}/nodes", params={"node_type": "strategy"}, headers=secretariat)).json()["items"]
    project = (await client.post("/api/v1/projects", json={
        "plan_id": plan_id, "parent_id": nodes[0]["id"], "code": "S1-P5", "name": {"th": "โครงการ", "en": "Project"},
        "roles": [{"agency": "DGA", "role": "lead"}]}, headers=secretariat | idem())).json()
    dropped = (await client.post("/api/v1/projects", json={
        "plan_id": plan_id, "parent_id": nodes[0]["id"], "code": "S1-P6", "name": {"th": "โครงการที่ถอน", "en": "Dropped"},
        "roles": [{"agency": "DGA", "role": "lead"}]}, headers=secretariat | idem())).json()
    node_url = f"/api/v1/plans/{plan_id}/versions/{v2['id']}/nodes/{dropped['id']}"
    await client.delete(node_url, headers=secretariat | {"If-Match": (await client.get(node_url, headers=secretariat)).headers["etag"]})
    etag = (await client.get(f"/api/v1/projects/{project['id']}", headers=secretariat)).headers["etag"]
    await client.patch(f"/api/v1/projects/{project['id']}", json={"start_fy": 2565, "end_fy": 2565}, headers=secretariat | {"If-Match": etag})
    obs = (await client.post(f"/api/v1/plans/{plan_id}/versions/{v2['id']}/observations",
                             json={"raised_by_body": "nesdc", "text": {"th": "ก", "en": "x"}}, headers=secretariat | idem())).json()
    await client.post(f"/api/v1/observations/{obs['id']}/responses", json={"text": {"th": "ข", "en": "y"}}, headers=secretariat | idem())
    await client.post(f"/api/v1/observations/{obs['id']}/close", headers=secretariat)
    await client.post(f"/api/v1/plans/{plan_id}/versions/{v2['id']}/submit", headers=secretariat)
    await runtime.consumer().handle_record(
        governance_record("dgplan.gateway.plan-approval.approved.v1", plan_id, {"instance_id": "i", "version_id": v2["id"], "body": "cabinet"})
    )
    events = await outbox_events(db)
    assert {e["type"] for e in events} == set(PUBLISHED_TYPES)
    for envelope in events:
        jsonschema.validate(envelope["data"], schema_for(envelope["type"]))
        assert envelope["subject"]
