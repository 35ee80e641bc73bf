"""Alignment to national frameworks and continuity between plans (issue 17): the frameworks loaded
as data, a node's "contributes to" links on drafts, a project continuing one of the predecessor
plan, and what the events tell monitoring."""

from __future__ import annotations

import pytest

from registry_test_helpers import governance_record, outbox_events, validate_event

NS = "/api/v1/frameworks/national-strategy"
REFORM = {
    "kind": "reform_plan",
    "name": {"th": "แผนการปฏิรูปประเทศ (ตัวอย่างสำหรับการทดสอบ)", "en": "National reform plans (written for this test)"},
    "nodes": [
        {"code": "R-1", "name": {"th": "ด้านการบริหารราชการแผ่นดิน", "en": "Public administration"}},
        {"code": "R-1.1", "parent_code": "R-1", "name": {"th": "รัฐบาลดิจิทัล", "en": "Digital government"}},
        {"code": "R-1.1.1", "parent_code": "R-1.1", "name": {"th": "บริการดิจิทัล", "en": "Digital services"}},
    ],
}


def link(node: str, strength: str = "primary", framework: str = "national-strategy", why: str = "ลดขั้นตอนบริการภาครัฐ"):
    return {"framework": framework, "node": node, "strength": strength, "rationale": why}


@pytest.fixture
async def draft(client, seeded, secretariat, idem):  # type: ignore[no-untyped-def]
    v2 = (await client.post(f"/api/v1/plans/{seeded['id']}/versions", json={}, headers=secretariat | idem())).json()
    page = (await client.get(f"/api/v1/plans/{seeded['id']}/versions/{v2['id']}/nodes", params={"limit": 200},
                             headers=secretariat)).json()
    return v2, {n["code"]: n for n in page["items"]}


async def _patch(client, plan_id, version_id, node, body, headers):  # type: ignore[no-untyped-def]
    url = f"/api/v1/plans/{plan_id}/versions/{version_id}/nodes/{node['id']}"
    current = await client.get(url, headers=headers)
    return await client.patch(url, json=body, headers=headers | {"If-Match": current.headers["etag"]})


async def test_the_national_strategy_is_loaded_with_its_six_goals_in_thai(client, seeded):
    listed = (await client.get("/api/v1/frameworks")).json()["items"]
    assert [(f["code"], f["kind"]) for f in listed] == [("national-strategy", "national_strategy")]
    ns = (await client.get(NS)).json()
    assert [n["code"] for n in ns["nodes"]] == ["NS-1", "NS-2", "NS-3", "NS-4", "NS-5", "NS-6"]
    assert all(n["parent_code"] is None for n in ns["nodes"])
    assert ns["nodes"][5]["name"]["th"] == "ยุทธศาสตร์ชาติด้านการปรับสมดุลและพัฒนาระบบการบริหารจัดการภาครัฐ"
    assert (await client.get("/api/v1/frameworks/sdg")).status_code == 404


async def test_the_secretariat_loads_a_framework_and_replaces_it_only_with_its_etag(client, seeded, secretariat, identity):
    url = "/api/v1/frameworks/reform-test"
    agency = identity("agency", agency="MOF", subject="mof-system")
    assert (await client.put(url, json=REFORM, headers=agency)).status_code == 403
    created = await client.put(url, json=REFORM, headers=secretariat)
    assert created.status_code == 201, created.text
    assert [(n["code"], n["parent_code"]) for n in created.json()["nodes"]] == [
        ("R-1", None), ("R-1.1", "R-1"), ("R-1.1.1", "R-1.1")]
    renamed = {**REFORM, "nodes": [*REFORM["nodes"][:2], {**REFORM["nodes"][2], "name": {"th": "บริการ", "en": "Services"}}]}
    assert (await client.put(url, json=renamed, headers=secretariat)).status_code == 428
    stale = await client.put(url, json=renamed, headers=secretariat | {"If-Match": '"stale"'})
    assert stale.status_code == 412
    replaced = await client.put(url, json=renamed, headers=secretariat | {"If-Match": created.headers["etag"]})
    assert replaced.status_code == 200 and replaced.json()["revision"] == 2
    assert (await client.get(url)).json()["nodes"][2]["name"]["th"] == "บริการ"


@pytest.mark.parametrize(("nodes", "field"), [
    ([{"code": "A", "parent_code": "B", "name": {"th": "ก", "en": "a"}}], "nodes[0].parent_code"),
    ([{"code": "A", "parent_code": "B", "name": {"th": "ก", "en": "a"}},
      {"code": "B", "parent_code": "A", "name": {"th": "ข", "en": "b"}}], "nodes[0].parent_code"),
    ([{"code": "A", "name": {"th": "ก", "en": "a"}}, {"code": "A", "name": {"th": "ข", "en": "b"}}], "nodes[1].code"),
])
async def test_a_framework_that_is_not_a_tree_is_refused_and_nothing_is_written(client, seeded, secretariat, nodes, field):
    answer = await client.put("/api/v1/frameworks/broken", json={**REFORM, "nodes": nodes}, headers=secretariat)
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["errors"][0]["field"] == field
    assert (await client.get("/api/v1/frameworks/broken")).status_code == 404


async def test_a_draft_node_links_to_goals_with_one_primary_per_framework(client, seeded, secretariat, draft):
    v2, nodes = draft
    await client.put("/api/v1/frameworks/reform-test", json=REFORM, headers=secretariat)
    s1 = nodes["S1"]
    body = {"contributes_to": [link("NS-6"), link("NS-3", "secondary", why="พัฒนาทักษะดิจิทัลของบุคลากร"),
                               link("R-1.1.1", framework="reform-test")]}
    answer = await _patch(client, seeded["id"], v2["id"], s1, body, secretariat)
    assert answer.status_code == 200, answer.text
    got = answer.json()["contributes_to"]
    assert [(a["framework"], a["node"], a["strength"]) for a in got] == [
        ("national-strategy", "NS-6", "primary"), ("national-strategy", "NS-3", "secondary"),
        ("reform-test", "R-1.1.1", "primary")]
    assert got[1]["rationale"] == "พัฒนาทักษะดิจิทัลของบุคลากร"

    two_primaries = await _patch(client, seeded["id"], v2["id"], s1, {"contributes_to": [link("NS-6"), link("NS-2")]}, secretariat)
    assert two_primaries.status_code == 422 and two_primaries.json()["errors"][0]["field"] == "contributes_to[1].strength"
    unknown = await _patch(client, seeded["id"], v2["id"], s1, {"contributes_to": [link("NS-9")]}, secretariat)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "contributes_to[0].node"
    no_framework = await _patch(client, seeded["id"], v2["id"], s1, {"contributes_to": [link("X", framework="sdg")]}, secretariat)
    assert no_framework.status_code == 422 and "no framework 'sdg'" in no_framework.json()["detail"]
    blank = await _patch(client, seeded["id"], v2["id"], s1, {"contributes_to": [link("NS-6", why="   ")]}, secretariat)
    assert blank.status_code == 422
    kept = (await client.get(f"/api/v1/plans/{seeded['id']}/versions/{v2['id']}/nodes/{s1['id']}", headers=secretariat)).json()
    assert kept["contributes_to"] == got  # every refusal left the links as they were

    # A linked framework node cannot leave its framework: the links of this version must resolve.
    etag = (await client.get("/api/v1/frameworks/reform-test")).headers["etag"]
    dropped = await client.put("/api/v1/frameworks/reform-test", json={**REFORM, "nodes": REFORM["nodes"][:2]},
                               headers=secretariat | {"If-Match": etag})
    assert dropped.status_code == 409 and dropped.json()["errors"][0]["message"].startswith("R-1.1.1")

    # The redline names the links, and the plan document keeps them.
    diff = (await client.get(f"/api/v1/plans/{seeded['id']}/diff", params={"from": seeded["approved_version_id"], "to": v2["id"]},
                             headers=secretariat)).json()
    assert any("contributes_to" in c["fields"] for c in diff["changed"] if c["code"] == "S1")
    document = (await client.get(f"/api/v1/plans/{seeded['id']}/export", headers=secretariat)).json()
    exported = next(n for v in document["versions"] if v["id"] == v2["id"] for n in v["nodes"] if n["id"] == s1["id"])
    assert exported["contributes_to"] == got


async def test_the_approved_structure_tells_monitoring_each_links_goal(client, seeded, secretariat, draft, runtime, db):
    v2, nodes = draft
    await client.put("/api/v1/frameworks/reform-test", json=REFORM, headers=secretariat)
    await _patch(client, seeded["id"], v2["id"], nodes["S1"], {"contributes_to": [link("NS-6")]}, secretariat)
    await _patch(client, seeded["id"], v2["id"], nodes["S1-P4"],
                 {"contributes_to": [link("NS-2", "secondary"), link("R-1.1.1", framework="reform-test")]}, secretariat)
    assert (await client.post(f"/api/v1/plans/{seeded['id']}/versions/{v2['id']}/submit", headers=secretariat)).status_code == 200
    await runtime.consumer().handle_record(governance_record(
        "dgplan.gateway.plan-approval.approved.v1", seeded["id"], {"instance_id": "i", "version_id": v2["id"], "body": "cabinet"}))
    published = (await outbox_events(db, "dgplan.plan-registry.plan.structure-published.v1"))[-1]
    validate_event(published)
    assert published["data"]["version_id"] == v2["id"]
    by_link = {(a["node_id"], a["framework_node"]): a for a in published["data"]["alignments"]}
    assert set(by_link) == {(nodes["S1"]["id"], "NS-6"), (nodes["S1-P4"]["id"], "NS-2"), (nodes["S1-P4"]["id"], "R-1.1.1")}
    assert by_link[(nodes["S1"]["id"], "NS-6")]["goal_title"]["th"].endswith("การบริหารจัดการภาครัฐ")
    reform = by_link[(nodes["S1-P4"]["id"], "R-1.1.1")]
    assert (reform["goal"], reform["node_type"], reform["strength"]) == ("R-1", "project", "primary")

    # The next revision starts from the approved links.
    v3 = (await client.post(f"/api/v1/plans/{seeded['id']}/versions", json={}, headers=secretariat | {"Idempotency-Key": "v3"})).json()
    copied = (await client.get(f"/api/v1/plans/{seeded['id']}/versions/{v3['id']}/nodes/{nodes['S1-P4']['id']}",
                               headers=secretariat)).json()
    assert [a["node"] for a in copied["contributes_to"]] == ["NS-2", "R-1.1.1"]


@pytest.fixture
async def next_plan(client, seeded, secretariat, idem):  # type: ignore[no-untyped-def]
    """A five-year plan written for this test (not the real B.E. 2566-2570 plan), continuing the seed."""
    plan = (await client.post("/api/v1/plans", json={
        "code": "TEST-2566-2570", "title": {"th": "แผนทดสอบ พ.ศ. 2566-2570", "en": "Test plan B.E. 2566-2570"},
        "start_fy": 2566, "end_fy": 2570, "predecessor_plan_id": seeded["id"]}, headers=secretariat | idem())).json()
    strategy = (await client.post(f"/api/v1/plans/{plan['id']}/versions/{plan['latest_version_id']}/nodes", json={
        "node_type": "strategy", "code": "S1", "name": {"th": "ยุทธศาสตร์ทดสอบ", "en": "Test strategy"}},
        headers=secretariat | idem())).json()
    return plan, strategy


async def test_a_project_of_the_next_plan_continues_one_of_the_seed_plan(client, seeded, secretariat, idem, next_plan, db):
    plan, strategy = next_plan
    farmers = (await client.get("/api/v1/projects", params={"q": "S1-P4"})).json()["items"][0]
    body = {"plan_id": plan["id"], "parent_id": strategy["id"], "code": "S1-P1", "roles": [{"agency": "OAE", "role": "lead"}],
            "name": {"th": "ฐานข้อมูลเกษตรกร ระยะที่ 2", "en": "Farmers' database, phase 2"}, "continues_project_id": farmers["id"]}
    answer = await client.post("/api/v1/projects", json=body, headers=secretariat | idem())
    assert answer.status_code == 201, answer.text
    assert answer.json()["continues_project_id"] == farmers["id"]
    event = (await outbox_events(db, "dgplan.plan-registry.project.registered.v1"))[-1]
    validate_event(event)
    assert event["data"]["continues_project_id"] == farmers["id"]

    itself = await client.post("/api/v1/projects", json={**body, "code": "S1-P2", "continues_project_id": "no-such"},
                               headers=secretariat | idem())
    assert itself.status_code == 422 and itself.json()["errors"][0]["field"] == "continues_project_id"
    strategy_continuing = await client.post(
        f"/api/v1/plans/{plan['id']}/versions/{plan['latest_version_id']}/nodes",
        json={"node_type": "strategy", "code": "S2", "name": {"th": "ก", "en": "a"}, "continues_project_id": farmers["id"]},
        headers=secretariat | idem())
    assert strategy_continuing.status_code == 422 and "only a project" in strategy_continuing.json()["detail"]


async def test_only_a_plan_with_a_predecessor_continues_and_only_the_predecessors_projects(client, seeded, secretariat, idem, next_plan):
    plan, strategy = next_plan
    own = (await client.post("/api/v1/projects", json={
        "plan_id": plan["id"], "parent_id": strategy["id"], "code": "S1-P1", "name": {"th": "ก", "en": "a"},
        "roles": [{"agency": "DGA", "role": "lead"}]}, headers=secretariat | idem())).json()
    # A project of the same plan is not one of its predecessor's.
    same_plan = await client.post("/api/v1/projects", json={
        "plan_id": plan["id"], "parent_id": strategy["id"], "code": "S1-P2", "name": {"th": "ข", "en": "b"},
        "roles": [{"agency": "DGA", "role": "lead"}], "continues_project_id": own["id"]}, headers=secretariat | idem())
    assert same_plan.status_code == 422 and "predecessor plan" in same_plan.json()["detail"]
    # The seed plan has no predecessor: none of its projects continues anything.
    v2 = (await client.post(f"/api/v1/plans/{seeded['id']}/versions", json={}, headers=secretariat | idem())).json()
    farmers = (await client.get("/api/v1/projects", params={"q": "S1-P4"})).json()["items"][0]
    refused = await _patch(client, seeded["id"], v2["id"], farmers, {"continues_project_id": own["id"]}, secretariat)
    assert refused.status_code == 422 and "names no predecessor" in refused.json()["detail"]
