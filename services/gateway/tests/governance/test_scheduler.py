"""Deadlines: the durable scheduler (driven by an injected clock) closes submission windows,
notices overdue stages once per stage entry and escalates them to the parent body."""

import asyncio
import json
from datetime import datetime, timedelta, timezone

import jsonschema

from gateway.governance.events import types as ev
from gateway.governance.application import deadlines as scheduler
from gateway.governance.domain.transitions import parse_deadline

from .conftest import SCHEMAS

ROUND = "round-2565"
SUBMISSION = datetime(2021, 1, 15, 10, 0, tzinfo=timezone.utc)
DECISION = datetime(2021, 2, 15, 10, 0, tzinfo=timezone.utc)
OPENED = {"round_id": ROUND, "plan_id": "p", "fiscal_year": 2565, "ceiling": "100.00",
          "submission_deadline": "2021-01-15T10:00:00Z", "decision_deadline": "2021-02-15T10:00:00Z"}
SECOND = timedelta(seconds=1)


async def stage_of(client, auth):
    return (await client.get(f"/api/v1/governance/instances?round_id={ROUND}", headers=await auth("secretariat"))).json()["items"][0]


async def test_the_window_closes_then_an_overdue_subcommittee_escalates_once(client, auth, deliver, outbox_events, seeded):
    await deliver(ev.ROUND_OPENED, ROUND, OPENED)
    assert await scheduler.scan_once(seeded, SUBMISSION - SECOND) == {"overdue": 0, "advanced": 0}
    assert await scheduler.scan_once(seeded, SUBMISSION + SECOND) == {"overdue": 0, "advanced": 1}
    instance = await stage_of(client, auth)
    assert (instance["stage"], instance["body"], instance["due_at"]) == (
        "screening", "operations-budget-subcommittee", "2021-02-15T10:00:00Z")

    assert await scheduler.scan_once(seeded, DECISION - SECOND) == {"overdue": 0, "advanced": 0}
    assert await scheduler.scan_once(seeded, DECISION + SECOND) == {"overdue": 1, "advanced": 0}
    assert await scheduler.scan_once(seeded, DECISION + timedelta(days=3)) == {"overdue": 0, "advanced": 0}
    overdue = await outbox_events(ev.STAGE_OVERDUE)
    assert len(overdue) == 1
    data = overdue[0]["data"]
    assert (data["stage"], data["body"], data["escalated_to"], data["deadline"]) == (
        "screening", "operations-budget-subcommittee", "digital-government-committee", "2021-02-15T10:00:00Z")
    assert overdue[0]["subject"] == instance["id"]
    jsonschema.validate(data, json.loads((SCHEMAS / f"{ev.STAGE_OVERDUE}.json").read_text()))
    history = (await client.get(f"/api/v1/governance/instances/{instance['id']}/history",
                                headers=await auth("secretariat"))).json()
    assert [h["kind"] for h in history["items"]] == ["started", "deadline-passed", "overdue"]


async def test_a_new_stage_entry_gets_its_own_deadline_and_notice(client, auth, deliver, outbox_events, seeded, as_member):
    await deliver(ev.PLAN_SUBMITTED, "p1", {"plan_id": "p1", "version_id": "v1", "number": 1,
                                           "revision_of_version_id": None, "submitted_by": "s"})
    instance = (await client.get("/api/v1/governance/instances?plan_id=p1", headers=await auth("secretariat"))).json()["items"][0]
    due = datetime.fromisoformat(instance["due_at"].replace("Z", "+00:00"))
    entered = datetime.fromisoformat(instance["stage_entered_at"].replace("Z", "+00:00"))
    assert due - entered == timedelta(days=30)
    assert (await scheduler.scan_once(seeded, due + SECOND))["overdue"] == 1
    # Overdue does not stop the committee: it still decides, and NESDC's stage has a fresh deadline.
    await client.post(f"/api/v1/governance/instances/{instance['id']}/decisions",
                      json={"decision": "propose", "reason": "late but done"}, headers=await as_member("demo-dgc-chair", "k"))
    assert (await scheduler.scan_once(seeded, due + SECOND))["overdue"] == 0
    overdue = await outbox_events(ev.STAGE_OVERDUE)
    assert [(e["data"]["stage"], e["data"]["escalated_to"]) for e in overdue] == [
        ("committee", "digital-government-committee")]
    inbox = (await client.get("/api/v1/governance/inbox", headers=await as_member("demo-nesdc"))).json()
    assert inbox["items"][0]["stage"] == "nesdc" and inbox["items"][0]["due_at"] > instance["due_at"]


async def test_the_loop_runs_until_stopped(deliver, outbox_events, seeded):
    await deliver(ev.ROUND_OPENED, ROUND, OPENED)
    stop = asyncio.Event()
    scans = []

    def clock():
        scans.append(1)
        if len(scans) == 3:
            stop.set()  # this third scan is the last one
        return DECISION + SECOND

    await asyncio.wait_for(scheduler.run(seeded, stop, clock=clock, interval=0.01), 5)
    assert len(scans) == 3
    # First scan: the submission window closed; second: screening overdue; third: nothing new.
    assert len(await outbox_events(ev.STAGE_OVERDUE)) == 1


def test_deadlines_from_events_are_read_tolerantly():
    assert parse_deadline("2021-02-15T10:00:00+00:00") == DECISION
    assert parse_deadline("2021-02-15T17:00:00+07:00") == DECISION
    assert parse_deadline("2021-02-15T10:00:00") == DECISION  # naive: UTC
    # A bare date is the end of that day in Thailand.
    assert parse_deadline("2021-02-15") == datetime(2021, 2, 15, 16, 59, 59, tzinfo=timezone.utc)
    assert parse_deadline("soon") is None
