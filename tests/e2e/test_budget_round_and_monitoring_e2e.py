"""FY 2565 across services over real Kafka, only through the gateway:

- agencies register their projects in the registry;
- the secretariat opens a screening round in the ledger, which starts the engine's workflow;
- lead agencies submit requests (the ledger knows the projects from the registry's events);
- the subcommittee screens them and hands the package to the committee;
- the committee approves by vote in the engine; the ledger posts approved amounts and allocations;
- the agency commits and disburses; monitoring learns the allocation and disbursement from the
  ledger's events and the project from the registry's, and a progress report changes the
  project's evaluation.
"""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from .conftest import eventually

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

SECRETARIAT, MOF, OPDC = "demo-secretariat", "demo-agency-mof", "demo-agency-opdc"
SUBCOMMITTEE_CHAIR = "demo-obs-chair"
# The subcommittee meeting whose resolution the chair records (held before the test runs).
MEETING = {"title": "การประชุมคณะอนุกรรมการฯ ครั้งที่ 1/2564", "held_on": "2021-11-15", "resolution": "วาระที่ 4.1"}


async def _draft_version(gateway, plan_id):  # type: ignore[no-untyped-def]
    created = await gateway.post(f"/api/v1/plans/{plan_id}/versions", SECRETARIAT, json={})
    if created.status_code in (200, 201):
        return created.json()["id"]
    versions = (await gateway.get(f"/api/v1/plans/{plan_id}/versions", SECRETARIAT)).json()["items"]
    return next(v["id"] for v in versions if v["status"] == "draft")


async def _register(gateway, agency_client, agency, plan_id, parent_id, code, th, en):  # type: ignore[no-untyped-def]
    response = await gateway.post("/api/v1/projects", agency_client, json={
        "plan_id": plan_id, "parent_id": parent_id, "code": code, "name": {"th": th, "en": en},
        "roles": [{"agency": agency, "role": "lead"}], "start_fy": 2565, "end_fy": 2565,
    })
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def test_fy2565_round_to_allocations_then_monitoring_evaluation(gateway):
    plans = (await gateway.get("/api/v1/plans", SECRETARIAT, params={"q": "DGDP-2563-2565"})).json()["items"]
    plan_id = plans[0]["id"]
    draft = await _draft_version(gateway, plan_id)
    nodes = (await gateway.get(f"/api/v1/plans/{plan_id}/versions/{draft}/nodes", SECRETARIAT,
                               params={"limit": 200})).json()["items"]
    by_code = {n["code"]: n for n in nodes}
    mof_project = await _register(gateway, MOF, "MOF", plan_id, by_code["S1-M1"]["id"], "S1-E2E-MOF",
                                  "ระบบจ่ายเงินสวัสดิการผ่านพร้อมเพย์", "Welfare payments by PromptPay")
    opdc_project = await _register(gateway, OPDC, "OPDC", plan_id, by_code["S2-M1"]["id"], "S2-E2E-OPDC",
                                   "ระบบอนุญาตธุรกิจแบบเบ็ดเสร็จ", "One-stop business permits")

    # Another agency cannot see a draft project it has no role on: the registry does not even say it exists.
    hidden = await gateway.get(f"/api/v1/projects/{mof_project}", OPDC)
    assert hidden.status_code == 404, hidden.text

    now = datetime.now(timezone.utc)
    opened = await gateway.post("/api/v1/screening/rounds", SECRETARIAT, json={
        "plan_id": plan_id, "fiscal_year": 2565, "ceiling": "100000000.00", "title": "ปีงบประมาณ 2565",
        "submission_deadline": (now + timedelta(days=7)).isoformat(),
        "decision_deadline": (now + timedelta(days=14)).isoformat(),
    })
    assert opened.status_code == 201, opened.text
    round_id = opened.json()["round_id"]

    async def screening_instance(stage=None):  # type: ignore[no-untyped-def]
        items = (await gateway.get("/api/v1/governance/instances", SECRETARIAT,
                                   params={"round_id": round_id})).json()["items"]
        return items[0] if items and (stage is None or items[0]["stage"] == stage) else None

    await eventually(screening_instance, 60, "the engine to start the screening workflow")

    async def submit(client, project, amounts):  # type: ignore[no-untyped-def]
        response = await gateway.post(f"/api/v1/screening/rounds/{round_id}/requests", client, json={
            "project_id": project, "amounts": amounts, "justification": "ตามแผนพัฒนารัฐบาลดิจิทัล",
            "priority": 1, "multi_year": False,
        })
        return response.json()["request_id"] if response.status_code == 201 else None

    # The ledger learns of the projects from the registry's events; until then it refuses requests.
    mof_request = await eventually(lambda: submit(MOF, mof_project, {"investment": "30000000.00", "operating": "2000000.00"}),
                                   60, "the ledger to accept MOF's request")
    opdc_request = await eventually(lambda: submit(OPDC, opdc_project, {"operating": "9000000.00"}),
                                    60, "the ledger to accept OPDC's request")
    # Only the project's lead agency may submit.
    foreign = await gateway.post(f"/api/v1/screening/rounds/{round_id}/requests", OPDC, json={
        "project_id": mof_project, "amounts": {"operating": "1.00"}, "justification": "x", "priority": 1,
        "multi_year": False})
    # The project is known and the body valid: only who asks is wrong ("you never may": 403).
    assert foreign.status_code == 403, foreign.text
    assert foreign.headers["content-type"].startswith("application/problem+json")

    decided = await gateway.post(f"/api/v1/screening/requests/{mof_request}/decisions", SUBCOMMITTEE_CHAIR,
                                 json={"decision": "recommend-full", "reason": "ลำดับความสำคัญสูง", "rank": 1, "meeting": MEETING})
    assert decided.status_code == 201, decided.text
    assert decided.json()["decision_meeting"]["title"] == MEETING["title"]
    # A plain member of the subcommittee takes part in the meeting but does not decide for the body:
    # the chair's office reaches the ledger with the identity the gateway forwards (issue 16 item 8).
    alone = await gateway.post(f"/api/v1/screening/requests/{opdc_request}/decisions", "demo-obs-member-1",
                               json={"decision": "reject", "reason": "ตัดสินคนเดียว", "meeting": MEETING})
    assert alone.status_code == 403 and "chair or the secretary" in alone.json()["detail"], alone.text
    not_member = await gateway.post(f"/api/v1/screening/requests/{opdc_request}/decisions", "demo-dgc-chair",
                                    json={"decision": "reject", "reason": "not my stage", "meeting": MEETING})
    assert not_member.status_code == 403
    reduced = await gateway.post(f"/api/v1/screening/requests/{opdc_request}/decisions", SUBCOMMITTEE_CHAIR,
                                 json={"decision": "recommend-reduced", "reason": "ลดขอบเขต", "rank": 2,
                                       "recommended_amounts": {"operating": "7500000.00"}, "meeting": MEETING})
    assert reduced.status_code == 201, reduced.text
    status = (await gateway.get(f"/api/v1/screening/rounds/{round_id}/status", SUBCOMMITTEE_CHAIR)).json()
    assert status["unscreened"]["count"] == 0
    assert status["recommended_total"] == "39500000.00"

    package = await gateway.post(f"/api/v1/screening/rounds/{round_id}/package", SUBCOMMITTEE_CHAIR, json={})
    assert package.status_code == 201, package.text
    instance = await eventually(lambda: screening_instance("committee-approval"), 60, "the package at the committee")
    for member in ("demo-dgc-member-1", "demo-dgc-chair"):
        vote = await gateway.post(f"/api/v1/governance/instances/{instance['id']}/votes", member,
                                  json={"choice": "approve", "reason": "จัดลำดับความสำคัญตามเป้าหมายแล้ว"})
        assert vote.status_code == 201, vote.text

    async def allocated(project):  # type: ignore[no-untyped-def]
        balances = (await gateway.get("/api/v1/budget/balances", SECRETARIAT,
                                      params={"project_id": project, "fiscal_year": 2565,
                                              "group_by": "project"})).json()["items"]
        total = sum(Decimal(b["balances"]["allocated"]) for b in balances)
        return total if total > 0 else None

    assert await eventually(lambda: allocated(mof_project), 60, "MOF's allocation") == Decimal("32000000.00")
    assert await eventually(lambda: allocated(opdc_project), 60, "OPDC's allocation") == Decimal("7500000.00")
    round_status = (await gateway.get(f"/api/v1/screening/rounds/{round_id}/status", SUBCOMMITTEE_CHAIR)).json()
    assert round_status["status"] == "approved"

    # Money moves on: MOF commits and disburses 40 % of its investment allocation.
    for stage in ("committed", "disbursed"):
        posted = await gateway.post("/api/v1/budget/postings", MOF, json={
            "project_id": mof_project, "fiscal_year": 2565, "expense_category": "investment",
            "stage": stage, "amount": "12800000.00"})
        assert posted.status_code == 201, posted.text

    evaluation_url = f"/api/v1/monitoring/projects/{mof_project}/evaluation"

    async def monitoring_sees_the_money():  # type: ignore[no-untyped-def]
        response = await gateway.get("/api/v1/monitoring/budget-execution", SECRETARIAT, params={
            "plan_id": plan_id, "fiscal_year": 2565, "group_by": "agency"})
        rows = {r["agency"]: r for r in response.json().get("rows", [])} if response.status_code == 200 else {}
        mof = rows.get("MOF")
        return mof if mof and mof["disbursed"] == "12800000.00" else None

    mof_execution = await eventually(monitoring_sees_the_money, 60, "monitoring to learn the ledger's postings")
    assert (mof_execution["allocated"], mof_execution["execution_rate"]) == ("32000000.00", "40.00")
    before = (await gateway.get(evaluation_url, SECRETARIAT, params={"as_of": "2022-02-15"})).json()
    assert (before["status"], before["lead_agency"]) == ("not_reporting", "MOF")

    report = await gateway.post("/api/v1/monitoring/progress-reports", MOF, json={
        "project_id": mof_project, "fiscal_year": 2565, "quarter": 1, "percent_complete": "25",
        "narrative": {"th": "เป็นไปตามแผน", "en": "On plan"}})
    assert report.status_code == 201, report.text
    after = (await gateway.get(evaluation_url, SECRETARIAT, params={"as_of": "2022-02-15"})).json()
    assert after["status"] == "on_track"
    budget = next(c for c in after["checks"] if c["name"] == "budget_execution")
    assert budget["measured"] == "40.00"
    # OPDC cannot report on MOF's project.
    foreign_report = await gateway.post("/api/v1/monitoring/progress-reports", OPDC, json={
        "project_id": mof_project, "fiscal_year": 2565, "quarter": 2, "percent_complete": "30"})
    # The project is known (its read model arrived long ago), so the answer is "not yours": 403.
    assert foreign_report.status_code == 403, foreign_report.text

    # Both projects were proposed in a draft nobody approved yet: the public scorecard and OPDC's
    # keep to the approved version (as the registry does); oversight sees them, flagged.
    scorecard_url = f"/api/v1/monitoring/plans/{plan_id}/scorecard"
    for caller in (None, OPDC):
        card = await gateway.get(scorecard_url, caller, params={"fiscal_year": 2565})
        assert card.status_code == 200, card.text
        assert card.json()["version"] == "approved" and mof_project not in card.text
    oversight = (await gateway.get(scorecard_url, SECRETARIAT, params={"fiscal_year": 2565})).json()
    proposed = next(p for p in oversight["projects"] if p["project_id"] == mof_project)
    assert (proposed["in_approved_version"], proposed["latest_quarter"]) == (False, "FY2565-Q1")

    # The secretariat closes the round and publishes its results: anyone may read them, signed in or not.
    results_url = f"/api/v1/screening/rounds/{round_id}/results"
    assert (await gateway.get(results_url)).status_code == 401  # not published yet
    closed = await gateway.post(f"/api/v1/screening/rounds/{round_id}/close", SECRETARIAT,
                                json={"publish_results": True})
    assert closed.status_code == 200, closed.text
    published = await gateway.get(results_url)
    assert published.status_code == 200, published.text
    approved = {i["project_id"]: i["approved_total"] for i in published.json()["items"]}
    assert approved[mof_project] == "32000000.00" and approved[opdc_project] == "7500000.00"
