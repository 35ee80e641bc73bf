"""The hierarchy in a draft version: right parents, no cycles, unique codes, known agencies, NFC Thai."""

import unicodedata

import pytest

PLAN = {"code": "P-NODES", "title": {"th": "แผนทดสอบ", "en": "Test plan"}, "start_fy": 2566, "end_fy": 2570}


@pytest.fixture
async def draft(client, secretariat, idem, seeded):  # type: ignore[no-untyped-def]
    plan = (await client.post("/api/v1/plans", json=PLAN, headers=secretariat | idem())).json()
    base = f"/api/v1/plans/{plan['id']}/versions/{plan['latest_version_id']}/nodes"

    async def add(node_type, code, parent=None, **extra):  # type: ignore[no-untyped-def]
        body = {"node_type": node_type, "code": code, "name": {"th": f"ชื่อ {code}", "en": f"Name {code}"}, **extra}
        if parent:
            body["parent_id"] = parent
        return await client.post(base, json=body, headers=secretariat | idem())

    return plan, base, add


async def test_a_full_branch_strategy_measure_work_plan_project(client, draft, secretariat):
    plan, base, add = draft
    s = (await add("strategy", "S1", budget_framework="100.00", declared={"measures": 1, "work_plans": 1, "projects": 2})).json()
    m = (await add("measure", "S1-M1", s["id"])).json()
    w = (await add("work_plan", "S1-M1-W1", m["id"])).json()
    p = await add("project", "S1-P1", w["id"], roles=[{"agency": "DGA", "role": "lead"}], start_fy=2566, end_fy=2567)
    assert p.status_code == 201, p.text
    project = p.json()
    assert project["strategy_id"] == s["id"] and project["parent_type"] == "work_plan" and project["status"] == "proposed"
    report = (await client.get(f"/api/v1/plans/{plan['id']}/completeness", headers=secretariat)).json()
    s1 = report["per_strategy"][0]
    assert (s1["measures"]["registered"], s1["work_plans"]["registered"], s1["projects"]["registered"]) == (1, 1, 1)
    assert s1["projects"]["missing"] == 1


async def test_wrong_kind_of_parent_is_refused_naming_parent_id(draft):
    _, _, add = draft
    s = (await add("strategy", "S1")).json()
    for node_type, parent in (("work_plan", s["id"]), ("measure", None), ("strategy", s["id"])):
        response = await add(node_type, f"X-{node_type}", parent)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "parent_id"
    unknown = await add("measure", "M-X", "no-such-node")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "parent_id"


async def test_moving_a_node_under_its_own_descendant_is_a_cycle(client, draft, secretariat):
    _, base, add = draft
    s = (await add("strategy", "S1")).json()
    m = (await add("measure", "S1-M1", s["id"])).json()
    w = (await add("work_plan", "S1-M1-W1", m["id"])).json()
    current = await client.get(f"{base}/{m['id']}", headers=secretariat)
    response = await client.patch(
        f"{base}/{m['id']}", json={"parent_id": w["id"]}, headers=secretariat | {"If-Match": current.headers["etag"]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "parent_id" and "cycle" in response.json()["detail"]


async def test_duplicate_code_unknown_agency_and_bad_role_name_the_field(draft):
    _, _, add = draft
    s = (await add("strategy", "S1")).json()
    duplicate = await add("strategy", "S1")
    assert duplicate.status_code == 409 and duplicate.json()["errors"][0]["field"] == "code"
    unknown = await add("measure", "M1", s["id"], roles=[{"agency": "DGA", "role": "lead"}, {"agency": "NOPE", "role": "lead"}])
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "roles[1].agency"
    bad_role = await add("measure", "M2", s["id"], roles=[{"agency": "DGA", "role": "boss"}])
    assert bad_role.status_code == 422 and bad_role.json()["errors"][0]["field"] == "roles[0].role"
    backwards = await add("project", "P1", s["id"], start_fy=2568, end_fy=2566)
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "end_fy"
    common_era = await add("project", "P2", s["id"], start_fy=2022, end_fy=2023)
    assert common_era.status_code == 422 and common_era.json()["errors"][0]["field"] == "start_fy"
    float_money = await add("strategy", "S9", budget_framework=12.5)
    assert float_money.status_code == 422 and float_money.json()["errors"][0]["field"] == "budget_framework"


async def test_thai_is_nfc_normalized_and_round_trips(client, draft, secretariat, idem):
    _, base, _ = draft
    # Tone mark before the lower vowel: canonically equivalent to the NFC order (vowel, then tone).
    unordered = "ก\u0e48\u0e38ลุ่ม"
    expected = unicodedata.normalize("NFC", unordered)
    assert expected != unordered
    response = await client.post(
        base, json={"node_type": "strategy", "code": "S1", "name": {"th": unordered, "en": "x"}}, headers=secretariat | idem()
    )
    assert response.status_code == 201
    assert response.json()["name"]["th"] == expected
    again = await client.get(f"{base}/{response.json()['id']}", headers=secretariat)
    assert again.json()["name"]["th"] == expected
    found = await client.get(base, params={"q": unordered}, headers=secretariat)
    assert [n["code"] for n in found.json()["items"]] == ["S1"]


async def test_remove_a_leaf_but_not_a_node_with_children(client, draft, secretariat):
    _, base, add = draft
    s = (await add("strategy", "S1")).json()
    m = (await add("measure", "S1-M1", s["id"])).json()
    etag = (await client.get(f"{base}/{s['id']}", headers=secretariat)).headers["etag"]
    refused = await client.delete(f"{base}/{s['id']}", headers=secretariat | {"If-Match": etag})
    assert refused.status_code == 409 and refused.json()["children"] == [m["id"]]
    etag = (await client.get(f"{base}/{m['id']}", headers=secretariat)).headers["etag"]
    assert (await client.delete(f"{base}/{m['id']}", headers=secretariat | {"If-Match": etag})).status_code == 204
    assert (await client.get(f"{base}/{m['id']}", headers=secretariat)).status_code == 404


async def test_role_assignment_publishes_an_event(client, draft, secretariat, idem, db):
    from registry_test_helpers import outbox_events, validate_event

    _, base, add = draft
    s = (await add("strategy", "S1")).json()
    response = await client.post(f"{base}/{s['id']}/roles", json={"agency": "MDES", "role": "supporting"}, headers=secretariat | idem())
    assert response.status_code == 201
    assert {"agency": "MDES", "role": "supporting"} in response.json()["roles"]
    events = await outbox_events(db, "dgplan.plan-registry.agency.role-assigned.v1")
    assert events[-1]["data"] == {"node_type": "strategy", "node_id": s["id"], "plan_id": events[-1]["data"]["plan_id"], "agency": "MDES", "role": "supporting"}
    validate_event(events[-1])
    unknown = await client.post(f"{base}/{s['id']}/roles", json={"agency": "XXX", "role": "lead"}, headers=secretariat | idem())
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "agency"
    bad_role = await client.post(f"{base}/{s['id']}/roles", json={"agency": "DGA", "role": "owner"}, headers=secretariat | idem())
    assert bad_role.status_code == 422 and bad_role.json()["errors"][0]["field"] == "role"
