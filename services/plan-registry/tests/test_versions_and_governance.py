"""Versions: revise, diff, submit (freeze), and what governance decisions do to them."""

from registry_test_helpers import governance_record, outbox_events, validate_event

STAGE = "dgplan.gateway.plan-approval.stage-decided.v1"
RETURNED = "dgplan.gateway.plan-approval.returned.v1"
APPROVED = "dgplan.gateway.plan-approval.approved.v1"
REJECTED = "dgplan.gateway.plan-approval.rejected.v1"


async def _revise(client, plan_id, headers, idem):  # type: ignore[no-untyped-def]
    response = await client.post(f"/api/v1/plans/{plan_id}/versions", json={}, headers=headers | idem())
    assert response.status_code == 201, response.text
    return response.json()


async def _nodes(client, plan_id, version_id, headers):  # type: ignore[no-untyped-def]
    page = (await client.get(f"/api/v1/plans/{plan_id}/versions/{version_id}/nodes", params={"limit": 200}, headers=headers)).json()
    return {n["code"]: n for n in page["items"]}


async def test_a_revised_seed_diffed_against_the_original_shows_exactly_the_changes(client, seeded, secretariat, idem):
    plan_id, v1 = seeded["id"], seeded["approved_version_id"]
    v2 = await _revise(client, plan_id, secretariat, idem)
    assert v2["number"] == 2 and v2["status"] == "draft" and v2["based_on_version_id"] == v1
    assert (await client.post(f"/api/v1/plans/{plan_id}/versions", json={}, headers=secretariat | idem())).status_code == 409
    nodes = await _nodes(client, plan_id, v2["id"], secretariat)
    base = f"/api/v1/plans/{plan_id}/versions/{v2['id']}/nodes"
    s1 = nodes["S1"]
    etag = (await client.get(f"{base}/{s1['id']}", headers=secretariat)).headers["etag"]
    renamed = await client.patch(
        f"{base}/{s1['id']}", json={"name": {"th": s1["name"]["th"], "en": "Better public services"}, "budget_framework": "4879870001.00"},
        headers=secretariat | {"If-Match": etag},
    )
    assert renamed.status_code == 200, renamed.text
    added = await client.post(base, json={"node_type": "measure", "code": "S1-M3", "parent_id": s1["id"],
                                          "name": {"th": "มาตรการใหม่", "en": "A new measure"}}, headers=secretariat | idem())
    assert added.status_code == 201
    gone = nodes["S4-P2"]
    etag = (await client.get(f"{base}/{gone['id']}", headers=secretariat)).headers["etag"]
    assert (await client.delete(f"{base}/{gone['id']}", headers=secretariat | {"If-Match": etag})).status_code == 204

    diff = (await client.get(f"/api/v1/plans/{plan_id}/diff", params={"from": v1, "to": v2["id"]}, headers=secretariat)).json()
    assert diff["from"]["number"] == 1 and diff["to"]["number"] == 2
    assert [(a["code"], a["node_type"]) for a in diff["added"]] == [("S1-M3", "measure")]
    assert [(r["code"], r["node_type"]) for r in diff["removed"]] == [("S4-P2", "project")]
    assert [(c["code"], sorted(c["fields"])) for c in diff["changed"]] == [("S1", ["budget_framework", "name.en"])]
    assert diff["changed"][0]["fields"]["name.en"] == {
        "from": "Raise the quality of public services with digital technology", "to": "Better public services"}
    assert diff["changed"][0]["fields"]["budget_framework"] == {"from": "4879870000.00", "to": "4879870001.00"}
    assert diff["summary"].startswith("1 added, 1 removed, 1 changed")
    assert "+ measure S1-M3" in diff["summary"] and "- project S4-P2" in diff["summary"]
    # The original is untouched: diffing it with itself shows nothing.
    same = (await client.get(f"/api/v1/plans/{plan_id}/diff", params={"from": v1, "to": v1}, headers=secretariat)).json()
    assert (same["added"], same["removed"], same["changed"]) == ([], [], [])


async def test_submit_freezes_and_governance_locks_returns_and_approves(client, seeded, secretariat, idem, runtime, db, identity):
    plan_id, v1 = seeded["id"], seeded["approved_version_id"]
    v2 = await _revise(client, plan_id, secretariat, idem)
    nodes = await _nodes(client, plan_id, v2["id"], secretariat)
    base = f"/api/v1/plans/{plan_id}/versions/{v2['id']}/nodes"

    assert (await client.post(f"/api/v1/plans/{plan_id}/versions/{v2['id']}/submit", headers=identity("operator"))).status_code == 403
    submitted = await client.post(f"/api/v1/plans/{plan_id}/versions/{v2['id']}/submit", headers=secretariat)
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    event = (await outbox_events(db, "dgplan.plan-registry.plan.version-submitted.v1"))[-1]
    validate_event(event)
    assert event["data"]["revision_of_version_id"] == v1 and event["data"]["submitted_by"] == "dga-officer"

    etag = (await client.get(f"{base}/{nodes['S2']['id']}", headers=secretariat)).headers["etag"]
    frozen = await client.patch(f"{base}/{nodes['S2']['id']}", json={"code": "S2X"}, headers=secretariat | {"If-Match": etag})
    assert frozen.status_code == 409 and frozen.json()["type"].endswith("version-frozen")
    add = await client.post(base, json={"node_type": "strategy", "code": "S5", "name": {"th": "ก", "en": "x"}}, headers=secretariat | idem())
    assert add.status_code == 409

    consumer = runtime.consumer()
    observations = [
        {"observation_ref": "dgdc-1", "text": {"th": "ควรจัดลำดับความสำคัญ", "en": "Rank the projects"}, "node_id": nodes["S1"]["id"]},
        {"observation_ref": "dgdc-2", "text": {"th": "ควรระบุขั้นตอน", "en": "Spell out the steps"}, "node_id": None},
    ]
    record = governance_record(STAGE, plan_id, {"instance_id": "i1", "version_id": v2["id"], "stage": "committee",
                                                "body": "digital-government-committee", "decision": "return", "reason": "r",
                                                "observations": observations, "next_stage": None})
    assert await consumer.handle_record(record) == "processed"
    assert await consumer.handle_record(record) == "duplicate"
    version = (await client.get(f"/api/v1/plans/{plan_id}/versions/{v2['id']}", headers=secretariat)).json()
    assert version["status"] == "under_review" and version["frozen"]
    raised = (await client.get("/api/v1/observations", params={"version_id": v2["id"]}, headers=secretariat)).json()["items"]
    assert sorted(o["external_ref"] for o in raised) == ["dgdc-1", "dgdc-2"]
    assert {o["status"] for o in raised} == {"open"} and {o["raised_by_body"] for o in raised} == {"digital-government-committee"}
    assert nodes["S1"]["id"] in {o["node_id"] for o in raised}
    for e in await outbox_events(db, "dgplan.plan-registry.observation.raised.v1"):
        validate_event(e)

    await consumer.handle_record(governance_record(RETURNED, plan_id, {"instance_id": "i1", "version_id": v2["id"], "body": "digital-government-committee", "reason": "revise"}, 1))
    assert (await client.get(f"/api/v1/plans/{plan_id}/versions/{v2['id']}", headers=secretariat)).json()["status"] == "returned"

    v3 = await _revise(client, plan_id, secretariat, idem)
    refused = await client.post(f"/api/v1/plans/{plan_id}/versions/{v3['id']}/submit", headers=secretariat)
    assert refused.status_code == 409 and refused.json()["type"].endswith("unanswered-observations")
    assert sorted(refused.json()["observation_ids"]) == sorted(o["id"] for o in raised)
    for o in raised:
        answer = await client.post(f"/api/v1/observations/{o['id']}/responses", json={"text": {"th": "ปรับแล้ว", "en": "Done"}}, headers=secretariat | idem())
        assert answer.status_code == 201 and answer.json()["status"] == "responded"
    assert (await client.post(f"/api/v1/plans/{plan_id}/versions/{v3['id']}/submit", headers=secretariat)).status_code == 200

    await consumer.handle_record(governance_record(APPROVED, plan_id, {"instance_id": "i2", "version_id": v3["id"], "body": "cabinet", "decided_at": "2026-11-26T00:00:00Z"}, 2))
    plan = (await client.get(f"/api/v1/plans/{plan_id}")).json()
    assert plan["approved_version_id"] == v3["id"]
    approved_events = await outbox_events(db, "dgplan.plan-registry.plan.version-approved.v1")
    validate_event(approved_events[-1])
    # the approved version's whole project set: what consumers may now show the public
    v3_projects = sorted(n["id"] for n in (await _nodes(client, plan_id, v3["id"], secretariat)).values()
                         if n["node_type"] == "project")
    assert len(v3_projects) == 10
    assert approved_events[-1]["data"] == {"plan_id": plan_id, "version_id": v3["id"], "number": 3,
                                           "project_ids": v3_projects}
    structure = (await outbox_events(db, "dgplan.plan-registry.plan.structure-published.v1"))[-1]
    validate_event(structure)
    assert structure["data"]["version_id"] == v3["id"] and structure["data"]["budget_framework"] == "6504690000.00"
    assert [s["budget_framework"] for s in structure["data"]["strategies"]] == ["4879870000.00", "518460000.00", "946360000.00", "160000000.00"]
    # The public now reads version 3 by default.
    completeness = (await client.get(f"/api/v1/plans/{plan_id}/completeness")).json()
    assert completeness["version_number"] == 3


async def test_rejection_and_decisions_for_unknown_versions(client, seeded, secretariat, idem, runtime):
    plan_id = seeded["id"]
    v2 = await _revise(client, plan_id, secretariat, idem)
    await client.post(f"/api/v1/plans/{plan_id}/versions/{v2['id']}/submit", headers=secretariat)
    consumer = runtime.consumer()
    unknown = governance_record(APPROVED, plan_id, {"instance_id": "i", "version_id": "nope", "body": "cabinet"})
    assert await consumer.handle_record(unknown) == "processed"  # tolerated, changes nothing
    await consumer.handle_record(governance_record(REJECTED, plan_id, {"instance_id": "i", "version_id": v2["id"], "body": "cabinet", "reason": "no"}, 1))
    version = (await client.get(f"/api/v1/plans/{plan_id}/versions/{v2['id']}", headers=secretariat)).json()
    assert version["status"] == "rejected" and version["decided_by_body"] == "cabinet"
    # A late approval of a rejected version is not applied.
    await consumer.handle_record(governance_record(APPROVED, plan_id, {"instance_id": "i", "version_id": v2["id"], "body": "cabinet"}, 2))
    assert (await client.get(f"/api/v1/plans/{plan_id}")).json()["approved_version_id"] == seeded["approved_version_id"]


async def test_drafts_are_not_public(client, seeded, secretariat, idem, identity):
    v2 = await _revise(client, seeded["id"], secretariat, idem)
    path = f"/api/v1/plans/{seeded['id']}/versions/{v2['id']}/nodes"
    assert (await client.get(path)).status_code == 401
    assert (await client.get(path, headers=identity("body_member", bodies=["nesdc"]))).status_code == 200
    own = (await client.get(path, headers=identity("agency", agency="MOF"))).json()["items"]
    assert [n["code"] for n in own] == ["S1"]  # an agency sees the nodes it holds a role on
    approved = f"/api/v1/plans/{seeded['id']}/versions/{seeded['approved_version_id']}/nodes"
    assert (await client.get(approved)).status_code == 200


async def test_plan_level_content_and_title_changes_show_in_the_diff(client, seeded, secretariat, idem):
    plan_id, v1 = seeded["id"], seeded["approved_version_id"]
    v2 = await _revise(client, plan_id, secretariat, idem)
    root = f"/api/v1/plans/{plan_id}/versions/{v2['id']}/nodes/{plan_id}"
    current = await client.get(root, headers=secretariat)
    attributes = {**current.json()["attributes"], "vision": {"th": current.json()["attributes"]["vision"]["th"], "en": "Open, connected digital government"}}
    changed = await client.patch(root, json={"attributes": attributes}, headers=secretariat | {"If-Match": current.headers["etag"]})
    assert changed.status_code == 200
    recode = await client.patch(root, json={"code": "OTHER"}, headers=secretariat | {"If-Match": changed.headers["etag"]})
    assert recode.status_code == 422 and recode.json()["errors"][0]["field"] == "code"
    etag = (await client.get(f"/api/v1/plans/{plan_id}", headers=secretariat)).headers["etag"]
    title = {"th": "แผนพัฒนารัฐบาลดิจิทัลของประเทศไทย พ.ศ. 2563 - 2565", "en": "Digital Government Development Plan 2020-2022"}
    assert (await client.patch(f"/api/v1/plans/{plan_id}", json={"title": title}, headers=secretariat | {"If-Match": etag})).status_code == 200
    diff = (await client.get(f"/api/v1/plans/{plan_id}/diff", params={"from": v1, "to": v2["id"]}, headers=secretariat)).json()
    assert [(c["node_type"], sorted(c["fields"])) for c in diff["changed"]] == [("plan", ["attributes.vision.en", "name.en"])]
    assert diff["changed"][0]["fields"]["attributes.vision.en"]["to"] == "Open, connected digital government"


async def test_endorsed_with_observations_then_revised_version_carries_on_to_approval(client, seeded, secretariat, idem, runtime):
    """The seed document's own path: NESDC endorses with observations, DGA revises, Cabinet approves."""
    plan_id = seeded["id"]
    consumer = runtime.consumer()
    v2 = await _revise(client, plan_id, secretariat, idem)
    await client.post(f"/api/v1/plans/{plan_id}/versions/{v2['id']}/submit", headers=secretariat)
    await consumer.handle_record(governance_record(STAGE, plan_id, {
        "instance_id": "i", "version_id": v2["id"], "stage": "committee", "body": "digital-government-committee",
        "decision": "propose", "reason": "ok", "observations": [], "next_stage": "nesdc"}))
    await consumer.handle_record(governance_record(STAGE, plan_id, {
        "instance_id": "i", "version_id": v2["id"], "stage": "nesdc", "body": "nesdc", "decision": "endorse_with_observations",
        "reason": "see observations", "next_stage": "revision",
        "observations": [{"observation_ref": "n-1", "text": {"th": "ควรเริ่มยกร่างแผนฉบับต่อไป", "en": "Start the next plan"}, "node_id": None}]}, 1))
    v3 = await _revise(client, plan_id, secretariat, idem)
    [obs] = (await client.get("/api/v1/observations", params={"version_id": v2["id"]}, headers=secretariat)).json()["items"]
    await client.post(f"/api/v1/observations/{obs['id']}/responses", json={"text": {"th": "ดำเนินการแล้ว", "en": "Done"}}, headers=secretariat | idem())
    assert (await client.post(f"/api/v1/plans/{plan_id}/versions/{v3['id']}/submit", headers=secretariat)).status_code == 200
    assert (await client.get(f"/api/v1/plans/{plan_id}/versions/{v2['id']}", headers=secretariat)).json()["status"] == "superseded"
    await consumer.handle_record(governance_record(APPROVED, plan_id, {"instance_id": "i", "version_id": v3["id"], "body": "cabinet"}, 2))
    assert (await client.get(f"/api/v1/plans/{plan_id}")).json()["approved_version_id"] == v3["id"]
