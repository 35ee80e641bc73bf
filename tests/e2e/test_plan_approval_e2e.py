"""The seed's approval path across services over real Kafka: the secretariat submits a draft of
the 2563–2565 plan in the registry; the committee proposes it by vote in the governance engine;
NESDC endorses it with two observations, which appear on the version in the registry; the
secretariat revises and answers both; the Cabinet approves in principle; the registry then shows
that version as the plan's approved version. A project MOF proposed in the draft stays out of
monitoring's public scorecard until that approval, and is in it after."""

import pytest

from .conftest import eventually

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

SECRETARIAT, MOF = "demo-secretariat", "demo-agency-mof"
OBSERVATIONS = [
    {"text": {"th": "สพร. ควรพิจารณาคัดเลือกโครงการที่มีความสำคัญที่จำเป็นต้องได้รับการจัดสรรงบประมาณในปี พ.ศ. 2565",
              "en": "DGA should select the priority projects that need budget in fiscal year 2565."}, "node_id": None},
    {"text": {"th": "เห็นควรให้ สพร. เริ่มกระบวนการยกร่างแผนฉบับต่อไป โดยควรกำหนดระยะเวลาที่เหมาะสม ไม่สั้นเกินไป เช่น 5 ปี",
              "en": "DGA should start drafting the next plan, e.g. over 5 years."}, "node_id": None},
]


async def _seed_plan(gateway):  # type: ignore[no-untyped-def]
    found = (await gateway.get("/api/v1/plans", SECRETARIAT, params={"q": "DGDP-2563-2565"})).json()["items"]
    assert len(found) == 1
    return found[0]


async def _scorecard_codes(gateway, plan_id, caller=None):  # type: ignore[no-untyped-def]
    """Project code -> in the approved version, on the FY 2565 scorecard as ``caller`` (None: the public) sees it."""
    card = await gateway.get(f"/api/v1/monitoring/plans/{plan_id}/scorecard", caller, params={"fiscal_year": 2565})
    assert card.status_code == 200, card.text
    return {p["code"]: p["in_approved_version"] for p in card.json()["projects"]}


async def _instance(gateway, plan_id):  # type: ignore[no-untyped-def]
    items = (await gateway.get("/api/v1/governance/instances", SECRETARIAT, params={"plan_id": plan_id})).json()["items"]
    approvals = [i for i in items if i["workflow"] == "plan-approval"]  # budget rounds share the plan id
    return approvals[0] if approvals else None


async def test_the_seed_path_from_draft_to_cabinet_approval_across_services(gateway):
    plan = await _seed_plan(gateway)
    plan_id = plan["id"]
    draft = await gateway.post(f"/api/v1/plans/{plan_id}/versions", SECRETARIAT, json={})
    if draft.status_code == 409:  # a draft is already being worked on (e.g. agencies registered projects)
        assert draft.json()["type"] == "urn:dgplan:problem:draft-exists"
        v2 = draft.json()["draft_version_id"]
    else:
        assert draft.status_code in (200, 201), draft.text
        v2 = draft.json()["id"]
    nodes = (await gateway.get(f"/api/v1/plans/{plan_id}/versions/{v2}/nodes", SECRETARIAT,
                               params={"limit": 200})).json()["items"]
    measure = next(n for n in nodes if n["code"] == "S1-M1")
    proposed = await gateway.post("/api/v1/projects", MOF, json={
        "plan_id": plan_id, "parent_id": measure["id"], "code": "S1-E2E-APPROVAL",
        "name": {"th": "ระบบบริหารจัดการภาษีดิจิทัล", "en": "Digital tax administration"},
        "roles": [{"agency": "MOF", "role": "lead"}], "start_fy": 2565, "end_fy": 2565,
    })
    assert proposed.status_code == 201, proposed.text

    async def known_to_monitoring():  # type: ignore[no-untyped-def]
        codes = await _scorecard_codes(gateway, plan_id, SECRETARIAT)
        return codes if "S1-E2E-APPROVAL" in codes else None

    # Monitoring has heard of the proposal (oversight sees it, flagged), yet the public does not.
    assert (await eventually(known_to_monitoring, 60, "monitoring to hear of MOF's proposal"))["S1-E2E-APPROVAL"] is False
    public_codes = await _scorecard_codes(gateway, plan_id)
    assert "S1-E2E-APPROVAL" not in public_codes and all(public_codes.values())
    submitted = await gateway.post(f"/api/v1/plans/{plan_id}/versions/{v2}/submit", SECRETARIAT)
    assert submitted.status_code == 200, submitted.text

    # The registry's event starts the approval workflow in the gateway.
    instance = await eventually(lambda: _instance(gateway, plan_id), 60, "the approval instance")
    assert (instance["stage"], instance["version_id"]) == ("committee", v2)
    iid = instance["id"]

    # A member of another body cannot act on the committee's stage.
    wrong = await gateway.post(f"/api/v1/governance/instances/{iid}/votes", "demo-nesdc",
                               json={"choice": "propose", "reason": "not mine"})
    assert wrong.status_code == 403

    for member in ("demo-dgc-member-1", "demo-dgc-chair"):
        vote = await gateway.post(f"/api/v1/governance/instances/{iid}/votes", member,
                                  json={"choice": "propose", "reason": "สอดคล้องกับยุทธศาสตร์ชาติ"})
        assert vote.status_code == 201, vote.text
    assert vote.json()["instance"]["stage"] == "nesdc"

    endorsed = await gateway.post(f"/api/v1/governance/instances/{iid}/decisions", "demo-nesdc",
                                  json={"decision": "endorse_with_observations",
                                        "reason": "มติที่ประชุมครั้งที่ 11/2563", "observations": OBSERVATIONS})
    assert endorsed.status_code == 201, endorsed.text

    async def raised():  # type: ignore[no-untyped-def]
        items = (await gateway.get("/api/v1/observations", SECRETARIAT, params={"version_id": v2})).json()["items"]
        return items if len(items) == 2 else None

    observations = await eventually(raised, 60, "NESDC's two observations in the registry")
    assert sorted(o["text"]["th"] for o in observations) == sorted(o["text"]["th"] for o in OBSERVATIONS)

    revised = await gateway.post(f"/api/v1/plans/{plan_id}/versions", SECRETARIAT, json={})
    assert revised.status_code in (200, 201), revised.text
    v3 = revised.json()["id"]
    early = await gateway.post(f"/api/v1/plans/{plan_id}/versions/{v3}/submit", SECRETARIAT)
    assert early.status_code == 409, "observations must be answered before resubmission"
    for observation in observations:
        answer = await gateway.post(f"/api/v1/observations/{observation['id']}/responses", SECRETARIAT,
                                    json={"text": {"th": "ปรับปรุงตามข้อสังเกตแล้ว", "en": "Revised accordingly"}})
        assert answer.status_code in (200, 201), answer.text
    resubmitted = await gateway.post(f"/api/v1/plans/{plan_id}/versions/{v3}/submit", SECRETARIAT)
    assert resubmitted.status_code == 200, resubmitted.text

    async def at_cabinet():  # type: ignore[no-untyped-def]
        current = await _instance(gateway, plan_id)
        return current if current and current["stage"] == "cabinet" and current["version_id"] == v3 else None

    await eventually(at_cabinet, 60, "the resubmitted version at the Cabinet")
    approved = await gateway.post(f"/api/v1/governance/instances/{iid}/decisions", "demo-cabinet",
                                  json={"decision": "approve_in_principle", "reason": "มติคณะรัฐมนตรี 30 มีนาคม 2564"})
    assert approved.status_code == 201, approved.text

    async def approved_in_registry():  # type: ignore[no-untyped-def]
        current = (await gateway.get(f"/api/v1/plans/{plan_id}")).json()  # public: an approved plan
        return current if current.get("approved_version_id") == v3 else None

    await eventually(approved_in_registry, 60, "the registry to show the Cabinet-approved version")
    version = (await gateway.get(f"/api/v1/plans/{plan_id}/versions/{v3}", SECRETARIAT)).json()
    assert version["status"] == "approved"

    async def public_in_monitoring():  # type: ignore[no-untyped-def]
        codes = await _scorecard_codes(gateway, plan_id)
        return codes if codes.get("S1-E2E-APPROVAL") is True else None

    # The approval event lists version 3's projects: MOF's proposal is now part of the public plan.
    await eventually(public_in_monitoring, 60, "monitoring's public scorecard to show the approved proposal")

    verified = (await gateway.get("/api/v1/audit/verify", "demo-operator")).json()
    assert verified["ok"] is True
