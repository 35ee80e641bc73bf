"""An FY 2565 screening round: opened on the ledger, screened by the subcommittee, approved by the
committee's vote (budget-screening.package-approved), posted and closed by the ledger's events."""

import json

import jsonschema

from gateway.governance.events import types as ev

from .conftest import SCHEMAS

ROUND = "round-2565"
OPENED = {
    "round_id": ROUND,
    "plan_id": "plan-dgdp-2563-2565",
    "fiscal_year": 2565,
    "ceiling": "6504690000.00",
    "submission_deadline": "2021-01-15T10:00:00Z",
    "decision_deadline": "2021-02-15T10:00:00Z",
}
PACKAGE = {"round_id": ROUND, "fiscal_year": 2565, "recommended_total": "946360000.00", "request_count": 12}


async def the_round(client, auth):
    listed = (await client.get(f"/api/v1/governance/instances?round_id={ROUND}", headers=await auth("secretariat"))).json()
    assert len(listed["items"]) == 1
    return listed["items"][0]


async def test_a_2565_round_reaches_package_approved_and_closes(client, auth, deliver, outbox_events, as_member):
    await deliver(ev.ROUND_OPENED, ROUND, OPENED)
    instance = await the_round(client, auth)
    assert (instance["workflow"], instance["stage"], instance["fiscal_year"]) == ("budget-screening", "submission", 2565)
    assert instance["due_at"] == "2021-01-15T10:00:00Z"

    await deliver(ev.PACKAGE_SUBMITTED, ROUND, PACKAGE)
    instance = await the_round(client, auth)
    assert (instance["stage"], instance["body"]) == ("committee-approval", "digital-government-committee")
    iid = instance["id"]

    inbox = (await client.get("/api/v1/governance/inbox", headers=await as_member("demo-dgc-member-2"))).json()
    assert [i["id"] for i in inbox["items"]] == [iid]
    for n, member in enumerate(("demo-dgc-member-1", "demo-dgc-member-2")):
        response = await client.post(
            f"/api/v1/governance/instances/{iid}/votes",
            json={"choice": "approve", "reason": "จัดลำดับความสำคัญตามเป้าหมายแล้ว"},
            headers=await as_member(member, f"v{n}"),
        )
        assert response.status_code == 201, response.text
    approved = await outbox_events(ev.PACKAGE_APPROVED)
    assert len(approved) == 1
    data = approved[0]["data"]
    assert (data["round_id"], data["fiscal_year"], data["body"]) == (ROUND, 2565, "digital-government-committee")
    assert data["reason"] == "จัดลำดับความสำคัญตามเป้าหมายแล้ว"
    assert approved[0]["subject"] == ROUND
    jsonschema.validate(data, json.loads((SCHEMAS / f"{ev.PACKAGE_APPROVED}.json").read_text()))
    assert (await the_round(client, auth))["stage"] == "posting"

    await deliver(ev.ROUND_APPROVED, ROUND, {"round_id": ROUND, "fiscal_year": 2565, "approved_total": "900000000.00"})
    assert (await the_round(client, auth))["stage"] == "posted"
    await deliver(ev.ROUND_CLOSED, ROUND, {"round_id": ROUND, "fiscal_year": 2565})
    closed = await the_round(client, auth)
    assert (closed["status"], closed["outcome"]) == ("completed", "closed")
    assert (await client.get("/api/v1/governance/inbox", headers=await as_member("demo-dgc-member-2"))).json()["items"] == []

    history = (await client.get(f"/api/v1/governance/history?round_id={ROUND}", headers=await auth("secretariat"))).json()
    assert [h["kind"] for h in history["items"]] == ["started", "advanced", "vote", "vote", "decided", "advanced", "advanced"]


async def test_a_returned_package_goes_back_to_the_subcommittee(client, auth, deliver, outbox_events, as_member):
    await deliver(ev.ROUND_OPENED, ROUND, OPENED)
    await deliver(ev.PACKAGE_SUBMITTED, ROUND, PACKAGE)
    iid = (await the_round(client, auth))["id"]
    returned = await client.post(
        f"/api/v1/governance/instances/{iid}/decisions",
        json={"decision": "return", "reason": "ให้ทบทวนลำดับความสำคัญ"},
        headers=await as_member("demo-dgc-chair", "ret"),
    )
    assert returned.status_code == 201, returned.text
    assert [e["data"]["reason"] for e in await outbox_events(ev.PACKAGE_RETURNED)] == ["ให้ทบทวนลำดับความสำคัญ"]
    instance = await the_round(client, auth)
    assert (instance["stage"], instance["body"]) == ("screening", "operations-budget-subcommittee")
    # The resubmitted package comes back to the committee, for a new vote.
    await deliver(ev.PACKAGE_SUBMITTED, ROUND, PACKAGE)
    assert (await the_round(client, auth))["stage"] == "committee-approval"


async def test_events_that_do_not_fit_the_stage_are_recorded_not_applied(client, auth, deliver, seeded):
    await deliver(ev.ROUND_OPENED, ROUND, OPENED)
    await deliver(ev.ROUND_CLOSED, ROUND, {"round_id": ROUND, "fiscal_year": 2565})
    instance = await the_round(client, auth)
    assert (instance["stage"], instance["status"]) == ("submission", "active")
    history = (await client.get(f"/api/v1/governance/instances/{instance['id']}/history",
                                headers=await auth("secretariat"))).json()
    assert history["items"][-1]["kind"] == "event-ignored"
    # A second round-opened for the same round (a replay with a new id) starts nothing new.
    await deliver(ev.ROUND_OPENED, ROUND, OPENED)
    await the_round(client, auth)
