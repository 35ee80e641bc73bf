"""One rule for refusals, at every stage of plan approval: 403 when the caller never may take the
action in this workflow (no body of theirs takes it at any stage, or their role does not allow
it), 409 ``illegal-transition`` when they may but not now (the instance is at another stage)."""

from __future__ import annotations

import pytest

from gateway.governance.events import types as ev

PLAN = "plan-rule"
NOTE = [{"text": {"th": "ข้อสังเกต", "en": "note"}, "node_id": None}]
CALLERS = ("chair", "member", "nesdc", "cabinet", "secretariat", "subcommittee", "operator")

# Who may ever vote / decide in plan approval (the committee votes; its chair records the
# committee's resolution; NESDC and the Cabinet decide as one).
MAY_VOTE = {"chair", "member"}
MAY_DECIDE = {"chair", "nesdc", "cabinet"}
# stage -> who acts there now (their request would succeed; each is exercised once, to move on).
ACTS_NOW = {
    "committee": ({"chair", "member"}, {"chair"}),
    "nesdc": (set(), {"nesdc"}),
    "revision": (set(), set()),
    "cabinet": (set(), {"cabinet"}),
    "completed": (set(), set()),
}


@pytest.fixture
def caller(auth, as_member):
    subjects = {"chair": "demo-dgc-chair", "member": "demo-dgc-member-1", "nesdc": "demo-nesdc",
                "cabinet": "demo-cabinet", "subcommittee": "demo-obs-chair"}

    async def headers(name: str, key: str) -> dict[str, str]:
        if name == "secretariat":  # the committee's secretariat: it revises, it never decides
            return await auth("secretariat", subject="demo-secretariat", key=key)
        if name == "operator":  # runs the engine, belongs to no body
            return await auth("operator", subject="ops", key=key)
        return await as_member(subjects[name], key)

    return headers


def expected(stage: str, action: str, who: str) -> int:
    never = MAY_VOTE if action == "votes" else MAY_DECIDE
    return 403 if who not in never else 409


async def assert_refusals(client, caller, iid: str, stage: str) -> None:
    votes_now, decisions_now = ACTS_NOW[stage]
    for action, now, body in (
        ("votes", votes_now, {"choice": "propose", "reason": "r"}),
        ("decisions", decisions_now, {"decision": "propose", "reason": "r"}),
    ):
        for who in CALLERS:
            if who in now:
                continue
            response = await client.post(f"/api/v1/governance/instances/{iid}/{action}", json=body,
                                         headers=await caller(who, f"{stage}-{action}-{who}"))
            status = expected(stage, action, who)
            assert response.status_code == status, (stage, action, who, response.text)
            slug = "forbidden" if status == 403 else "illegal-transition"
            assert response.json()["type"] == f"urn:dgplan:problem:{slug}", (stage, action, who)


async def test_403_never_and_409_not_now_at_every_stage(client, auth, deliver, caller):
    submitted = {"plan_id": PLAN, "version_id": "v1", "number": 1, "revision_of_version_id": None,
                 "submitted_by": "demo-secretariat"}
    await deliver(ev.PLAN_SUBMITTED, PLAN, submitted)
    listed = await client.get(f"/api/v1/governance/instances?plan_id={PLAN}", headers=await auth("secretariat"))
    iid = listed.json()["items"][0]["id"]
    url = f"/api/v1/governance/instances/{iid}"

    async def stage_now() -> str:
        instance = (await client.get(url, headers=await auth("secretariat"))).json()
        return instance["stage"] if instance["status"] == "active" else "completed"

    assert await stage_now() == "committee"
    await assert_refusals(client, caller, iid, "committee")
    moved = await client.post(f"{url}/decisions", json={"decision": "propose", "reason": "มติที่ประชุม 1/2563"},
                              headers=await caller("chair", "move-1"))
    assert moved.status_code == 201, moved.text

    assert await stage_now() == "nesdc"
    await assert_refusals(client, caller, iid, "nesdc")
    moved = await client.post(f"{url}/decisions", json={"decision": "endorse_with_observations", "reason": "r",
                                                        "observations": NOTE}, headers=await caller("nesdc", "move-2"))
    assert moved.status_code == 201, moved.text

    assert await stage_now() == "revision"
    await assert_refusals(client, caller, iid, "revision")
    revised = {**submitted, "version_id": "v2", "number": 2, "revision_of_version_id": "v1"}
    await deliver(ev.PLAN_SUBMITTED, PLAN, revised)

    assert await stage_now() == "cabinet"
    await assert_refusals(client, caller, iid, "cabinet")
    moved = await client.post(f"{url}/decisions", json={"decision": "approve_in_principle", "reason": "r"},
                              headers=await caller("cabinet", "move-3"))
    assert moved.status_code == 201, moved.text

    assert await stage_now() == "completed"
    await assert_refusals(client, caller, iid, "completed")
    # The refusals changed nothing: the history holds only the moves.
    history = (await client.get(f"{url}/history", headers=await auth("secretariat"))).json()
    assert [h["kind"] for h in history["items"]] == ["started", "decided", "decided", "resubmitted", "decided"]


async def test_the_rule_is_in_the_openapi_document(gw):
    paths = gw.app.openapi()["paths"]
    for action in ("votes", "decisions"):
        operation = paths[f"/api/v1/governance/instances/{{instance_id}}/{action}"]["post"]
        assert "**403** means *you never may*" in operation["description"]
        assert "**409** `illegal-transition` means *not now*" in operation["description"]
        assert operation["responses"]["403"]["description"].startswith("You never may")
        assert operation["responses"]["409"]["description"].startswith("Not now")
