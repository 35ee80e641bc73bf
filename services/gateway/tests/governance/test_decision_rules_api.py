"""Who may act on a stage, what they may decide, idempotent retries, and refusals as problem+json."""

import pytest

from gateway.governance.events import types as ev

PLAN = "plan-x"


@pytest.fixture
async def at_committee(client, auth, deliver):
    await deliver(ev.PLAN_SUBMITTED, PLAN, {"plan_id": PLAN, "version_id": "v1", "number": 1,
                                            "revision_of_version_id": None, "submitted_by": "demo-secretariat"})
    listed = (await client.get(f"/api/v1/governance/instances?plan_id={PLAN}", headers=await auth("secretariat"))).json()
    return listed["items"][0]["id"]


def problem(response, status, slug=None):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    if slug:
        assert response.json()["type"] == f"urn:dgplan:problem:{slug}"
    return response.json()


async def test_a_vote_needs_an_idempotency_key_and_a_retry_has_one_effect(client, auth, as_member, at_committee):
    url = f"/api/v1/governance/instances/{at_committee}/votes"
    vote = {"choice": "propose", "reason": "ok"}
    problem(await client.post(url, json=vote, headers=await as_member("demo-dgc-member-1")), 428)
    first = await client.post(url, json=vote, headers=await as_member("demo-dgc-member-1", "same"))
    again = await client.post(url, json=vote, headers=await as_member("demo-dgc-member-1", "same"))
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    problem(await client.post(url, json={**vote, "reason": "other"}, headers=await as_member("demo-dgc-member-1", "same")),
            422, "idempotency-key-reused")
    history = (await client.get(f"/api/v1/governance/instances/{at_committee}/history",
                                headers=await auth("secretariat"))).json()
    assert [h["kind"] for h in history["items"]] == ["started", "vote"]


async def test_only_members_of_the_owning_body_act(client, auth, as_member, at_committee):
    url = f"/api/v1/governance/instances/{at_committee}/votes"
    vote = {"choice": "propose", "reason": "ok"}
    problem(await client.post(url, json=vote, headers=await as_member("demo-nesdc", "a")), 403)
    problem(await client.post(url, json=vote, headers=await auth("secretariat", subject="demo-secretariat", key="b")), 403)
    problem(await client.post(url, json=vote), 401)
    # Members vote; only the chair or the secretary records the committee's resolution.
    decisions = f"/api/v1/governance/instances/{at_committee}/decisions"
    problem(await client.post(decisions, json={"decision": "propose", "reason": "r"},
                              headers=await as_member("demo-dgc-member-1", "c")), 403)


async def test_illegal_transitions_are_refused_with_409(client, auth, as_member, at_committee):
    votes = f"/api/v1/governance/instances/{at_committee}/votes"
    decisions = f"/api/v1/governance/instances/{at_committee}/decisions"
    body = problem(await client.post(votes, json={"choice": "approve_in_principle", "reason": "r"},
                                     headers=await as_member("demo-dgc-member-1", "a")), 409, "illegal-transition")
    assert body["allowed"] == ["propose", "return", "reject"]
    # NESDC decides plans, at its own stage: while the plan is with the committee that is "not now".
    problem(await client.post(decisions, json={"decision": "endorse", "reason": "r"},
                              headers=await as_member("demo-nesdc", "b")), 409, "illegal-transition")
    problem(await client.post(votes, json={"choice": "propose", "reason": "r", "stage": "nesdc"},
                              headers=await as_member("demo-dgc-member-1", "c")), 409, "illegal-transition")
    await client.post(decisions, json={"decision": "reject", "reason": "out of scope"},
                      headers=await as_member("demo-dgc-chair", "d"))
    # Completed: nothing more to decide, whoever asks.
    problem(await client.post(decisions, json={"decision": "propose", "reason": "r"},
                              headers=await as_member("demo-dgc-chair", "e")), 409, "illegal-transition")
    problem(await client.post("/api/v1/governance/instances/nope/votes", json={"choice": "propose", "reason": "r"},
                              headers=await as_member("demo-dgc-chair", "f")), 404)


async def test_a_resolution_must_agree_with_the_votes_cast(client, auth, as_member, at_committee):
    votes = f"/api/v1/governance/instances/{at_committee}/votes"
    decisions = f"/api/v1/governance/instances/{at_committee}/decisions"
    await client.post(votes, json={"choice": "propose", "reason": "r"}, headers=await as_member("demo-dgc-member-1", "a"))
    await client.post(votes, json={"choice": "return", "reason": "r"}, headers=await as_member("demo-dgc-member-2", "b"))
    # 1-1 without the chair: no majority, so neither resolution stands.
    body = problem(await client.post(decisions, json={"decision": "propose", "reason": "r"},
                                     headers=await as_member("demo-dgc-chair", "c")), 409, "illegal-transition")
    assert body["tally"]["why"] == "no-majority"
    # The chair votes 'return': 2 of 3 decide at once.
    decided = await client.post(votes, json={"choice": "return", "reason": "revise S2"},
                                headers=await as_member("demo-dgc-chair", "d"))
    assert decided.json()["instance"]["stage"] == "revision"


async def test_observations_follow_the_decision_definition(client, auth, as_member, at_committee):
    await client.post(f"/api/v1/governance/instances/{at_committee}/decisions",
                      json={"decision": "propose", "reason": "r"}, headers=await as_member("demo-dgc-chair", "a"))
    url = f"/api/v1/governance/instances/{at_committee}/decisions"
    note = [{"text": {"th": "ข้อสังเกต", "en": "note"}, "node_id": "S1"}]
    body = problem(await client.post(url, json={"decision": "endorse_with_observations", "reason": "r"},
                                     headers=await as_member("demo-nesdc", "b")), 422)
    assert body["errors"][0]["field"] == "observations"
    problem(await client.post(url, json={"decision": "endorse", "reason": "r", "observations": note},
                              headers=await as_member("demo-nesdc", "c")), 422)
    problem(await client.post(url, json={"decision": "endorse"}, headers=await as_member("demo-nesdc", "d")), 422)
    problem(await client.post(url, json={"decision": "endorse", "reason": ""}, headers=await as_member("demo-nesdc", "e")), 422)


async def test_deactivated_members_neither_vote_nor_count(client, auth, as_member, at_committee):
    me = await client.get("/api/v1/governance/bodies/digital-government-committee/members/demo-dgc-member-2",
                          headers=await auth("operator"))
    off = await client.patch("/api/v1/governance/bodies/digital-government-committee/members/demo-dgc-member-2",
                             json={"active": False}, headers={**await auth("operator"), "If-Match": me.headers["etag"]})
    assert off.status_code == 200, off.text
    votes = f"/api/v1/governance/instances/{at_committee}/votes"
    problem(await client.post(votes, json={"choice": "propose", "reason": "r"},
                              headers=await as_member("demo-dgc-member-2", "a")), 403)
    # Two active members left: one vote is half, not a majority; the second decides.
    one = await client.post(votes, json={"choice": "propose", "reason": "r"}, headers=await as_member("demo-dgc-member-1", "b"))
    assert one.json()["tally"]["decided"] is False
    two = await client.post(votes, json={"choice": "propose", "reason": "r"}, headers=await as_member("demo-dgc-chair", "c"))
    assert two.json()["tally"] | {"counts": None} == {"decided": True, "decision": "propose", "why": "majority",
                                                      "cast": 2, "quorum": 1, "counts": None}


async def test_instance_reads_show_the_votes_so_far_with_an_etag(client, auth, as_member, at_committee):
    url = f"/api/v1/governance/instances/{at_committee}"
    before = await client.get(url, headers=await auth("secretariat"))
    assert before.status_code == 200 and before.headers["etag"].startswith('"')
    assert (before.json()["stage"], before.json()["votes"]) == ("committee", [])
    await client.post(f"{url}/votes", json={"choice": "return", "reason": "ขาดตัวชี้วัด"},
                      headers=await as_member("demo-dgc-member-2", "a"))
    after = await client.get(url, headers=await auth("body_member", subject="demo-dgc-member-1"))
    assert [(v["voter"], v["choice"], v["reason"]) for v in after.json()["votes"]] == [
        ("demo-dgc-member-2", "return", "ขาดตัวชี้วัด")]
    assert after.headers["etag"] != before.headers["etag"]
    again = await client.get(url, headers=await auth("secretariat"))
    assert again.headers["etag"] == after.headers["etag"]


async def test_nul_characters_are_refused_wherever_they_come(client, auth, as_member, at_committee):
    votes = f"/api/v1/governance/instances/{at_committee}/votes"
    body = problem(await client.post(votes, json={"choice": "propose", "reason": "a\x00b"},
                                     headers=await as_member("demo-dgc-member-1", "nul")), 422)
    assert body["errors"][0]["field"] == "body.reason"
    problem(await client.get("/api/v1/governance/history?round_id=x%00y", headers=await auth("secretariat")), 422)
    problem(await client.get("/api/v1/governance/instances/a%00b", headers=await auth("secretariat")), 422)
    problem(await client.get("/api/v1/audit/entries?actor=%00", headers=await auth("operator")), 422)
    bad_definition = {"key": "plan-approval", "title": {"th": "\x00", "en": "x"}}
    problem(await client.post("/api/v1/governance/workflows/plan-approval/versions", json=bad_definition,
                              headers=await auth("operator", key="nul")), 422)
