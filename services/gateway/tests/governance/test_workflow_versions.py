"""Workflow definitions are versioned data: operators add validated versions; a running instance
keeps the version it started with, new instances take the newest."""

import copy
from datetime import datetime, timedelta

import jsonschema

from gateway.governance.events import types as ev
from gateway.governance.domain.seed_data import PLAN_APPROVAL_V1

URL = "/api/v1/governance/workflows/plan-approval/versions"


def faster_v2():
    """v2: the committee has 10 days, and NESDC may only endorse or return."""
    document = copy.deepcopy(PLAN_APPROVAL_V1)
    document["stages"][0]["due_days"] = 10
    document["stages"][1]["decisions"] = [d for d in document["stages"][1]["decisions"] if d["name"] != "endorse_with_observations"]
    return document


async def submit(deliver, plan):
    await deliver(ev.PLAN_SUBMITTED, plan, {"plan_id": plan, "version_id": f"{plan}-v1", "number": 1,
                                           "revision_of_version_id": None, "submitted_by": "s"})


async def instance_of(client, auth, plan):
    return (await client.get(f"/api/v1/governance/instances?plan_id={plan}", headers=await auth("secretariat"))).json()["items"][0]


async def test_a_new_version_applies_to_new_instances_only(client, auth, deliver, as_member):
    await submit(deliver, "old")
    added = await client.post(URL, json=faster_v2(), headers=await auth("operator", key="v2"))
    assert added.status_code == 201, added.text
    assert added.json()["version"] == 2
    retry = await client.post(URL, json=faster_v2(), headers=await auth("operator", key="v2"))
    assert retry.json()["version"] == 2
    await submit(deliver, "new")

    old, new = await instance_of(client, auth, "old"), await instance_of(client, auth, "new")
    assert (old["definition_version"], new["definition_version"]) == (1, 2)
    entered = datetime.fromisoformat(new["stage_entered_at"].replace("Z", "+00:00"))
    assert datetime.fromisoformat(new["due_at"].replace("Z", "+00:00")) - entered == timedelta(days=10)

    for n, plan in enumerate(("old", "new")):
        iid = (await instance_of(client, auth, plan))["id"]
        await client.post(f"/api/v1/governance/instances/{iid}/decisions", json={"decision": "propose", "reason": "r"},
                          headers=await as_member("demo-dgc-chair", f"p{n}"))
    note = [{"text": {"th": "ข้อสังเกต", "en": "note"}}]
    old_nesdc = await client.post(f"/api/v1/governance/instances/{old['id']}/decisions",
                                  json={"decision": "endorse_with_observations", "reason": "r", "observations": note},
                                  headers=await as_member("demo-nesdc", "o"))
    assert old_nesdc.status_code == 201, old_nesdc.text
    new_nesdc = await client.post(f"/api/v1/governance/instances/{new['id']}/decisions",
                                  json={"decision": "endorse_with_observations", "reason": "r", "observations": note},
                                  headers=await as_member("demo-nesdc", "n"))
    assert new_nesdc.status_code == 409

    listed = (await client.get("/api/v1/governance/workflows", headers=await auth("body_member"))).json()
    assert [(w["key"], w["version"]) for w in listed["items"]] == [
        ("budget-screening", 1), ("plan-approval", 1), ("plan-approval", 2)]


async def test_invalid_definitions_are_refused_naming_the_problem(client, auth, seeded):
    cases = []
    broken = faster_v2()
    broken["stages"][0]["decisions"][0]["to"] = "senate"
    cases.append((broken, "unknown 'senate'"))
    broken = faster_v2()
    broken["stages"][0]["decisions"][0]["emit"] = ["plan-approval.teleported"]
    cases.append((broken, "unknown events"))
    broken = faster_v2()
    broken["stages"][1]["decisions"][1].pop("resume")
    cases.append((broken, "resume"))
    broken = faster_v2()
    broken["stages"][3]["body"] = "senate"
    cases.append((broken, "unknown bodies"))
    broken = faster_v2()
    broken["stages"][0]["mode"] = "ballot"
    cases.append((broken, "stages.0.mode"))
    cases.append(({**faster_v2(), "key": "budget-screening"}, "key"))
    for n, (document, fragment) in enumerate(cases):
        response = await client.post(URL, json=document, headers=await auth("operator", key=f"bad-{n}"))
        assert response.status_code == 422, (fragment, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert fragment in response.text, (fragment, response.text)
    assert (await client.post(URL, json=faster_v2(), headers=await auth("secretariat", key="s"))).status_code == 403
    assert (await client.post(URL, json=faster_v2(), headers=await auth("operator"))).status_code == 428


async def test_the_definition_schema_is_published_and_the_seeded_versions_satisfy_it(client, auth, seeded):
    schema = (await client.get("/api/v1/governance/workflows/schema", headers=await auth("operator"))).json()
    jsonschema.Draft202012Validator.check_schema(schema)
    listed = (await client.get("/api/v1/governance/workflows", headers=await auth("operator"))).json()
    for workflow in listed["items"]:
        jsonschema.validate(workflow["definition"], schema)
