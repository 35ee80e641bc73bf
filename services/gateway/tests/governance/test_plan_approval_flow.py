"""The seed's approval path through the engine API: secretariat submits, the committee proposes by
vote, NESDC endorses with two observations, the secretariat revises and answers both, the Cabinet
approves in principle — with the events of docs/contracts.md in the outbox."""

import json

import jsonschema
import pytest

from gateway.governance.events import types as ev

from .conftest import SCHEMAS

PLAN, V1, V2 = "plan-dgdp-2563-2565", "ver-1", "ver-2"
COMMITTEE, NESDC, CABINET = "digital-government-committee", "nesdc", "cabinet"
OBSERVATIONS = [
    {
        "text": {
            "th": "สพร. ควรพิจารณาคัดเลือกโครงการที่มีความสำคัญที่จำเป็นต้องได้รับการจัดสรรงบประมาณในปี พ.ศ. 2565",
            "en": "DGA should select the priority projects that need budget allocated in fiscal year 2565.",
        },
        "node_id": None,
    },
    {
        "text": {
            "th": "เห็นควรให้ สพร. เริ่มกระบวนการยกร่างแผนฉบับต่อไป โดยควรกำหนดระยะเวลาที่เหมาะสม ไม่สั้นเกินไป เช่น 5 ปี",
            "en": "DGA should start drafting the next plan over a period that is not too short, e.g. 5 years.",
        },
        "node_id": None,
    },
]


def submitted(version_id, revision_of=None, number=1):
    return {"plan_id": PLAN, "version_id": version_id, "number": number, "revision_of_version_id": revision_of,
            "submitted_by": "demo-secretariat"}


def observation(obs_id, status="open"):
    return {"observation_id": obs_id, "plan_id": PLAN, "version_id": V1, "node_id": None, "status": status,
            "raised_by_body": NESDC}


async def only_instance(client, auth):
    listed = (await client.get(f"/api/v1/governance/instances?plan_id={PLAN}", headers=await auth("secretariat"))).json()
    assert len(listed["items"]) == 1
    return listed["items"][0]


def assert_valid(envelope):
    schema = json.loads((SCHEMAS / f"{envelope['type']}.json").read_text())
    jsonschema.validate(envelope["data"], schema)


async def test_the_seed_approval_path_runs_end_to_end(client, auth, deliver, outbox_events, as_member):
    await deliver(ev.PLAN_SUBMITTED, PLAN, submitted(V1))
    instance = await only_instance(client, auth)
    assert (instance["stage"], instance["body"], instance["definition_version"]) == ("committee", COMMITTEE, 1)
    assert instance["due_at"] is not None
    iid = instance["id"]

    waiting = (await client.get("/api/v1/governance/inbox", headers=await as_member("demo-dgc-member-1"))).json()
    assert [i["id"] for i in waiting["items"]] == [iid]
    assert waiting["items"][0]["decisions"] == ["propose", "return", "reject"]

    # The committee proposes by vote: two of three members decide it.
    first = await client.post(
        f"/api/v1/governance/instances/{iid}/votes",
        json={"choice": "propose", "reason": "สอดคล้องกับยุทธศาสตร์ชาติ", "stage": "committee"},
        headers=await as_member("demo-dgc-member-1", "k1"),
    )
    assert first.status_code == 201, first.text
    assert first.json()["tally"]["decided"] is False and first.json()["instance"]["stage"] == "committee"
    second = await client.post(
        f"/api/v1/governance/instances/{iid}/votes",
        json={"choice": "propose", "reason": "Ready for NESDC"},
        headers=await as_member("demo-dgc-chair", "k2"),
    )
    assert second.status_code == 201, second.text
    assert second.json()["tally"]["decision"] == "propose"
    assert second.json()["instance"]["stage"] == "nesdc"

    # NESDC decides as one: endorses with the two observations of the seed.
    endorsed = await client.post(
        f"/api/v1/governance/instances/{iid}/decisions",
        json={"decision": "endorse_with_observations", "reason": "มติที่ประชุมครั้งที่ 11/2563", "observations": OBSERVATIONS},
        headers=await as_member("demo-nesdc", "k3"),
    )
    assert endorsed.status_code == 201, endorsed.text
    assert endorsed.json()["instance"]["stage"] == "revision"
    assert endorsed.json()["instance"]["resume_stage"] == "cabinet"

    decided = await outbox_events(ev.STAGE_DECIDED)
    assert [(e["data"]["stage"], e["data"]["decision"], e["data"]["next_stage"]) for e in decided] == [
        ("committee", "propose", "nesdc"),
        ("nesdc", "endorse_with_observations", "revision"),
    ]
    sent = decided[1]["data"]["observations"]
    assert [o["text"] for o in sent] == [o["text"] for o in OBSERVATIONS]  # Thai intact
    assert len({o["observation_ref"] for o in sent}) == 2
    assert decided[1]["subject"] == PLAN and decided[1]["data"]["version_id"] == V1

    # The registry raises both observations; the secretariat answers both, then resubmits.
    await deliver(ev.OBSERVATION_RAISED, "obs-1", observation("obs-1"))
    await deliver(ev.OBSERVATION_RAISED, "obs-2", observation("obs-2"))
    await deliver(ev.OBSERVATION_RESPONDED, "obs-1", observation("obs-1", "responded"))
    await deliver(ev.OBSERVATION_RESPONDED, "obs-2", observation("obs-2", "responded"))
    await deliver(ev.PLAN_SUBMITTED, PLAN, submitted(V2, revision_of=V1, number=2))
    instance = await only_instance(client, auth)
    assert (instance["stage"], instance["version_id"], instance["id"]) == ("cabinet", V2, iid)

    approved = await client.post(
        f"/api/v1/governance/instances/{iid}/decisions",
        json={"decision": "approve_in_principle", "reason": "มติคณะรัฐมนตรี 30 มีนาคม 2564"},
        headers=await as_member("demo-cabinet", "k4"),
    )
    assert approved.status_code == 201, approved.text
    assert approved.json()["instance"]["status"] == "completed"
    assert approved.json()["instance"]["outcome"] == "approved"

    final = await outbox_events(ev.PLAN_APPROVED)
    assert len(final) == 1
    assert final[0]["data"]["version_id"] == V2 and final[0]["data"]["body"] == CABINET
    assert await outbox_events(ev.PLAN_RETURNED) == []

    history = (await client.get(f"/api/v1/governance/instances/{iid}/history", headers=await auth("secretariat"))).json()
    kinds = [h["kind"] for h in history["items"]]
    assert kinds == ["started", "vote", "vote", "decided", "decided", "resubmitted", "decided"]
    by_version = (
        await client.get(f"/api/v1/governance/history?plan_id={PLAN}&version_id={V2}", headers=await auth("secretariat"))
    ).json()
    assert [h["kind"] for h in by_version["items"]] == ["resubmitted", "decided"]

    for envelope in await outbox_events():
        assert_valid(envelope)
    verified = (await client.get("/api/v1/audit/verify", headers=await auth("operator"))).json()
    assert verified["ok"] is True and verified["checked"] > 10


async def test_a_resubmission_waits_until_every_observation_is_answered(client, auth, deliver, as_member, seeded):
    await deliver(ev.PLAN_SUBMITTED, PLAN, submitted(V1))
    iid = (await only_instance(client, auth))["id"]
    await client.post(f"/api/v1/governance/instances/{iid}/decisions",
                      json={"decision": "propose", "reason": "minutes of meeting 1/2563"},
                      headers=await as_member("demo-dgc-chair", "r1"))
    await client.post(f"/api/v1/governance/instances/{iid}/decisions",
                      json={"decision": "endorse_with_observations", "reason": "r", "observations": OBSERVATIONS},
                      headers=await as_member("demo-nesdc", "r2"))
    await deliver(ev.OBSERVATION_RAISED, "obs-1", observation("obs-1"))
    await deliver(ev.OBSERVATION_RAISED, "obs-2", observation("obs-2"))
    await deliver(ev.OBSERVATION_RESPONDED, "obs-1", observation("obs-1", "responded"))

    await deliver(ev.PLAN_SUBMITTED, PLAN, submitted(V2, revision_of=V1, number=2))
    instance = await only_instance(client, auth)
    assert (instance["stage"], instance["pending_version_id"]) == ("revision", V2)
    cabinet = await client.post(f"/api/v1/governance/instances/{iid}/decisions",
                                json={"decision": "approve_in_principle", "reason": "too early"},
                                headers=await as_member("demo-cabinet", "r3"))
    assert cabinet.status_code == 409

    await deliver(ev.OBSERVATION_CLOSED, "obs-2", observation("obs-2", "closed"))
    instance = await only_instance(client, auth)
    assert (instance["stage"], instance["version_id"], instance["pending_version_id"]) == ("cabinet", V2, None)


@pytest.mark.parametrize(
    ("stage_decisions", "expected_event", "outcome"),
    [
        ([("committee", "reject")], ev.PLAN_REJECTED, "rejected"),
        ([("committee", "return")], ev.PLAN_RETURNED, None),
    ],
)
async def test_return_and_reject(client, auth, deliver, outbox_events, as_member, stage_decisions, expected_event, outcome):
    await deliver(ev.PLAN_SUBMITTED, PLAN, submitted(V1))
    iid = (await only_instance(client, auth))["id"]
    for i, (_, decision) in enumerate(stage_decisions):
        response = await client.post(f"/api/v1/governance/instances/{iid}/decisions",
                                     json={"decision": decision, "reason": "ยังไม่ครบองค์ประกอบ"},
                                     headers=await as_member("demo-dgc-chair", f"x{i}"))
        assert response.status_code == 201, response.text
    events = await outbox_events(expected_event)
    assert len(events) == 1 and events[0]["data"]["reason"] == "ยังไม่ครบองค์ประกอบ"
    instance = await only_instance(client, auth)
    assert instance["outcome"] == outcome
    if outcome is None:  # returned: the resubmission goes back to the committee
        assert (instance["stage"], instance["resume_stage"]) == ("revision", "committee")
        await deliver(ev.PLAN_SUBMITTED, PLAN, submitted(V2, revision_of=V1, number=2))
        assert (await only_instance(client, auth))["stage"] == "committee"
