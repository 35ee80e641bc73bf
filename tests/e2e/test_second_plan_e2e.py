"""A second plan carried the same way as the first, over real Kafka and only through the gateway
(issue 17): the secretariat imports a five-year plan B.E. 2566-2570 that continues the 2563-2565
plan, agencies register projects into its draft, the committee proposes it, NESDC endorses it, the
Cabinet approves it; the public API then names it as the plan in force for FY 2566; an FY 2566
screening round belongs to it and runs through to allocations, while an FY 2566 round against the
first plan is refused. The first plan's FY 2565 figures and its plan read the same before and after.

The 2566-2570 document is written for this test and says so in its titles: it holds no facts
about the real plan of those years.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from .conftest import eventually

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

SECRETARIAT, MOF, OPDC = "demo-secretariat", "demo-agency-mof", "demo-agency-opdc"
SUBCOMMITTEE_CHAIR = "demo-obs-chair"
MEETING = {"title": "การประชุมคณะอนุกรรมการฯ ครั้งที่ 1/2566 (ทดสอบ)", "held_on": "2022-11-15", "resolution": "วาระที่ 1"}
CODE = "TEST-DGDP-2566-2570"
_NS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:dgplan:test:plan-2566-2570")


def _id(name: str) -> str:
    return str(uuid.uuid5(_NS, name))


def _node(name: str, node_type: str, code: str, th: str, en: str, parent: str | None, position: int,
          **fields: Any) -> dict[str, Any]:
    return {"attributes": {}, "budget_framework": None, "code": code, "declared": None, "end_fy": None,
            "focus_area_ids": [], "id": _id(name), "name": {"th": th, "en": en}, "node_type": node_type,
            "parent_id": _id(parent) if parent else None, "position": position, "roles": [], "start_fy": None,
            "status": None, "target_ids": [], **fields}


def _contributes(goal: str, why: str) -> list[dict[str, str]]:
    return [{"framework": "national-strategy", "node": goal, "strength": "primary", "rationale": why}]


def plan_document_for_the_test(predecessor_id: str, continued_project_id: str) -> dict[str, Any]:
    """A small five-year plan in the registry's import format, labelled as a test document. Its
    links to the National Strategy are the test's too: the plan counts to NS-6, its first strategy to
    NS-2 (the second has none of its own); its MOF project continues ``continued_project_id`` (a project of the first plan)."""
    plan_id, version_id = _id("plan"), _id("version-1")
    title = {"th": "(เอกสารทดสอบ) แผนพัฒนารัฐบาลดิจิทัล พ.ศ. 2566 - 2570",
             "en": "(test document) Digital Government Development Plan B.E. 2566-2570"}
    nodes = [
        {**_node("plan", "plan", CODE, title["th"], title["en"], None, 0), "id": plan_id,
         "budget_framework": "1000000000.00", "declared": {"measures": 2, "work_plans": 0, "projects": 2},
         "contributes_to": _contributes("NS-6", "(ทดสอบ) ปรับระบบบริหารจัดการภาครัฐ")},
        _node("t1", "target", "T1", "(ทดสอบ) เป้าหมายที่ 1", "(test) target 1", None, 1),
        _node("s1", "strategy", "S1", "(ทดสอบ) ยุทธศาสตร์ที่ 1", "(test) strategy 1", None, 1,
              attributes={"number": 1}, budget_framework="600000000.00",
              declared={"measures": 1, "work_plans": 0, "projects": 1},
              contributes_to=_contributes("NS-2", "(ทดสอบ) เพิ่มขีดความสามารถในการแข่งขัน")),
        _node("s2", "strategy", "S2", "(ทดสอบ) ยุทธศาสตร์ที่ 2", "(test) strategy 2", None, 2,
              attributes={"number": 2}, budget_framework="400000000.00",
              declared={"measures": 1, "work_plans": 0, "projects": 1}),
        _node("s1-m1", "measure", "S1-M1", "(ทดสอบ) มาตรการที่ 1.1", "(test) measure 1.1", "s1", 1),
        _node("s2-m1", "measure", "S2-M1", "(ทดสอบ) มาตรการที่ 2.1", "(test) measure 2.1", "s2", 1),
        _node("s1-p1", "project", "S1-T-P1", "(ทดสอบ) โครงการบริการภาษีดิจิทัลต่อเนื่อง",
              "(test) Digital tax services, continued", "s1-m1", 1, start_fy=2566, end_fy=2567,
              roles=[{"agency": "MOF", "role": "lead"}], continues_project_id=continued_project_id),
    ]
    for node in nodes:
        if node["node_type"] == "plan":
            node["parent_id"] = None
    return {
        "format": "dgplan.plan-export/1", "agencies": [], "observations": [],
        "plan": {"approved_version_id": None, "code": CODE, "end_fy": 2570, "id": plan_id,
                 "latest_version_id": version_id, "predecessor_plan_id": predecessor_id, "start_fy": 2566,
                 "successor_plan_id": None, "title": title},
        "versions": [{"based_on_version_id": None, "decided_at": None, "decided_by_body": None, "id": version_id,
                      "number": 1, "status": "draft", "submitted_at": None, "submitted_by": None, "nodes": nodes}],
    }


async def _first_plan_as_it_reads(gateway, plan_id: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """What the first plan shows for FY 2565: the plan, its FY 2565 rounds and balances."""
    plan = (await gateway.get(f"/api/v1/plans/{plan_id}")).json()
    rounds = (await gateway.get("/api/v1/screening/rounds", SECRETARIAT,
                                params={"plan_id": plan_id, "fiscal_year": 2565})).json()["items"]
    balances = (await gateway.get("/api/v1/budget/balances", SECRETARIAT,
                                  params={"plan_id": plan_id, "fiscal_year": 2565, "group_by": "strategy"})).json()
    return {"plan": plan, "rounds": rounds, "balances": balances}


async def _instance(gateway, plan_id):  # type: ignore[no-untyped-def]
    items = (await gateway.get("/api/v1/governance/instances", SECRETARIAT, params={"plan_id": plan_id})).json()["items"]
    return items[0] if items else None


async def test_a_second_plan_is_imported_approved_and_screened_while_the_first_reads_the_same(gateway):
    first = (await gateway.get("/api/v1/plans", params={"q": "DGDP-2563-2565"})).json()["items"][0]
    before = await _first_plan_as_it_reads(gateway, first["id"])
    # Nothing is in force for FY 2566 yet, and the first plan does not reach it.
    assert (await gateway.get("/api/v1/plans", params={"fiscal_year": 2566})).json()["items"] == []

    continued = (await gateway.get(f"/api/v1/plans/{first['id']}/versions/{first['approved_version_id']}/nodes",
                                   params={"node_type": "project"})).json()["items"][0]
    imported = await gateway.post("/api/v1/plans/import", SECRETARIAT,
                                  json=plan_document_for_the_test(first["id"], continued["id"]))
    assert imported.status_code == 201, imported.text
    plan_id = imported.json()["plan"]["id"]
    version = imported.json()["plan"]["latest_version_id"]
    nodes = {n["code"]: n for n in (await gateway.get(f"/api/v1/plans/{plan_id}/versions/{version}/nodes",
                                                      SECRETARIAT, params={"limit": 200})).json()["items"]}
    opdc = await gateway.post("/api/v1/projects", OPDC, json={
        "plan_id": plan_id, "parent_id": nodes["S2-M1"]["id"], "code": "S2-T-P1",
        "name": {"th": "(ทดสอบ) ระบบอนุญาตธุรกิจแบบเบ็ดเสร็จ ระยะที่ 2", "en": "(test) One-stop business permits, phase 2"},
        "roles": [{"agency": "OPDC", "role": "lead"}], "start_fy": 2566, "end_fy": 2566})
    assert opdc.status_code == 201, opdc.text
    opdc_project, mof_project = opdc.json()["id"], nodes["S1-T-P1"]["id"]

    # Through the same approval workflow as the first plan: committee, NESDC, Cabinet.
    submitted = await gateway.post(f"/api/v1/plans/{plan_id}/versions/{version}/submit", SECRETARIAT)
    assert submitted.status_code == 200, submitted.text
    instance = await eventually(lambda: _instance(gateway, plan_id), 60, "the second plan's approval instance")
    assert (instance["workflow"], instance["stage"]) == ("plan-approval", "committee")
    for member in ("demo-dgc-member-1", "demo-dgc-chair"):
        vote = await gateway.post(f"/api/v1/governance/instances/{instance['id']}/votes", member,
                                  json={"choice": "propose", "reason": "ต่อเนื่องจากแผนฉบับก่อน (ทดสอบ)"})
        assert vote.status_code == 201, vote.text
    endorsed = await gateway.post(f"/api/v1/governance/instances/{instance['id']}/decisions", "demo-nesdc",
                                  json={"decision": "endorse", "reason": "มติที่ประชุม (ทดสอบ)"})
    assert endorsed.status_code == 201, endorsed.text
    approved = await gateway.post(f"/api/v1/governance/instances/{instance['id']}/decisions", "demo-cabinet",
                                  json={"decision": "approve_in_principle", "reason": "มติคณะรัฐมนตรี (ทดสอบ)"})
    assert approved.status_code == 201, approved.text

    async def in_force_for_2566():  # type: ignore[no-untyped-def]
        items = (await gateway.get("/api/v1/plans", params={"fiscal_year": 2566})).json()["items"]
        return items if items and items[0].get("approved_version_id") == version else None

    in_force = await eventually(in_force_for_2566, 60, "the public API to name the second plan for FY 2566")
    assert [p["code"] for p in in_force] == [CODE]
    assert in_force[0]["predecessor_plan_id"] == first["id"]
    assert [p["code"] for p in (await gateway.get("/api/v1/plans", params={"fiscal_year": 2565})).json()["items"]] \
        == ["DGDP-2563-2565"]

    now = datetime.now(timezone.utc)
    deadlines = {"submission_deadline": (now + timedelta(days=7)).isoformat(),
                 "decision_deadline": (now + timedelta(days=14)).isoformat()}
    # FY 2566 lies outside the first plan: refused, saying why.
    outside = await gateway.post("/api/v1/screening/rounds", SECRETARIAT, json={
        "plan_id": first["id"], "fiscal_year": 2566, "ceiling": "1.00", "title": "นอกช่วงแผน", **deadlines})
    assert outside.status_code == 422, outside.text
    assert outside.headers["content-type"].startswith("application/problem+json")

    async def opened():  # type: ignore[no-untyped-def]
        r = await gateway.post("/api/v1/screening/rounds", SECRETARIAT, json={
            "plan_id": plan_id, "fiscal_year": 2566, "ceiling": "500000000.00",
            "title": "ปีงบประมาณ 2566 (ทดสอบ)", **deadlines})
        return r.json()["round_id"] if r.status_code == 201 else None

    round_id = await eventually(opened, 60, "the ledger to open FY 2566 for the second plan")

    async def submit(client, project, amounts):  # type: ignore[no-untyped-def]
        r = await gateway.post(f"/api/v1/screening/rounds/{round_id}/requests", client, json={
            "project_id": project, "amounts": amounts, "justification": "ตามแผน พ.ศ. 2566-2570 (ทดสอบ)",
            "priority": 1, "multi_year": client == MOF})
        return r.json()["request_id"] if r.status_code == 201 else None

    mof_request = await eventually(lambda: submit(MOF, mof_project, {"investment": "40000000.00"}), 60,
                                   "the ledger to accept MOF's FY 2566 request")
    opdc_request = await eventually(lambda: submit(OPDC, opdc_project, {"operating": "6000000.00"}), 60,
                                    "the ledger to accept OPDC's FY 2566 request")
    for request_id, rank in ((mof_request, 1), (opdc_request, 2)):
        decided = await gateway.post(f"/api/v1/screening/requests/{request_id}/decisions", SUBCOMMITTEE_CHAIR,
                                     json={"decision": "recommend-full", "reason": "สอดคล้องกับเป้าหมาย (ทดสอบ)",
                                           "rank": rank, "meeting": MEETING})
        assert decided.status_code == 201, decided.text
    package = await gateway.post(f"/api/v1/screening/rounds/{round_id}/package", SUBCOMMITTEE_CHAIR, json={})
    assert package.status_code == 201, package.text

    async def at_committee():  # type: ignore[no-untyped-def]
        items = (await gateway.get("/api/v1/governance/instances", SECRETARIAT,
                                   params={"round_id": round_id})).json()["items"]
        return items[0] if items and items[0]["stage"] == "committee-approval" else None

    screening = await eventually(at_committee, 60, "the FY 2566 package at the committee")
    for member in ("demo-dgc-member-1", "demo-dgc-chair"):
        vote = await gateway.post(f"/api/v1/governance/instances/{screening['id']}/votes", member,
                                  json={"choice": "approve", "reason": "ตามลำดับความสำคัญ (ทดสอบ)"})
        assert vote.status_code == 201, vote.text

    async def allocated(project):  # type: ignore[no-untyped-def]
        items = (await gateway.get("/api/v1/budget/balances", SECRETARIAT, params={
            "project_id": project, "fiscal_year": 2566, "group_by": "project"})).json()["items"]
        total = sum(Decimal(b["balances"]["allocated"]) for b in items)
        return total if total > 0 else None

    assert await eventually(lambda: allocated(mof_project), 60, "MOF's FY 2566 allocation") == Decimal("40000000.00")
    assert await eventually(lambda: allocated(opdc_project), 60, "OPDC's FY 2566 allocation") == Decimal("6000000.00")
    status = (await gateway.get(f"/api/v1/screening/rounds/{round_id}/status", SECRETARIAT)).json()
    assert (status["fiscal_year"], status["status"], status["approved_total"]) == (2566, "approved", "46000000.00")

    # The first plan's FY 2565 reads exactly as before.
    assert await _first_plan_as_it_reads(gateway, first["id"]) == before

    # Monitoring, from the events alone: budget by National Strategy goal adds up to the plan's
    # totals (S1's framework and MOF's allocation to NS-2, S2's and OPDC's to the plan's NS-6) ...
    async def by_goal():  # type: ignore[no-untyped-def]
        report = (await gateway.get("/api/v1/monitoring/reports/alignment",
                                    params={"plan_id": plan_id, "fiscal_year": 2566})).json()
        allocated = report.get("total", {}).get("budget", {}).get("allocated")
        return report if allocated == "46000000.00" else None

    report = await eventually(by_goal, 60, "monitoring to count FY 2566's allocations by goal")
    rows = {r["goal"]: (r["budget"]["framework"], r["budget"]["allocated"], r["progress"]["projects"])
            for r in report["rows"]}
    assert rows == {"NS-2": ("600000000.00", "40000000.00", 1), "NS-6": ("400000000.00", "6000000.00", 1)}
    execution = (await gateway.get("/api/v1/monitoring/budget-execution",
                                   params={"plan_id": plan_id, "fiscal_year": 2566})).json()
    assert report["total"]["budget"] == {"framework": "1000000000.00", **execution["total"]}

    # ... and the continued project shows its money across both plans, asked from either end.
    old_money = (await gateway.get("/api/v1/budget/balances", SECRETARIAT, params={
        "project_id": continued["id"], "group_by": "project"})).json()["items"]
    old_allocated = sum((Decimal(b["balances"]["allocated"]) for b in old_money), Decimal("0.00"))
    for asked in (mof_project, continued["id"]):
        line = (await gateway.get(f"/api/v1/monitoring/projects/{asked}/continuity")).json()
        assert [p["project_id"] for p in line["projects"]] == [continued["id"], mof_project], line
        assert [p["plan_id"] for p in line["projects"]] == [first["id"], plan_id]
        years = {y["fiscal_year"]: Decimal(y["allocated"]) for y in line["budget_by_fiscal_year"]}
        assert years[2566] == Decimal("40000000.00")
        assert Decimal(line["total"]["allocated"]) == old_allocated + Decimal("40000000.00")
