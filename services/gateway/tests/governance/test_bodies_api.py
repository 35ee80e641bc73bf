"""Bodies and members: the seed of docs/contracts.md (Thai verbatim), operators' changes with
Idempotency-Key and If-Match, and memberships reaching the forwarded identity."""

import base64
import json
import re
import unicodedata
from pathlib import Path

from gateway.edge.application.people_demo import DEMO_PEOPLE
from gateway.governance.application.memberships import memberships_of
from gateway.governance.application.seed import seed_governance
from gateway.governance.domain.seed_data import DEMO_MEMBER_NAMES, DEMO_MEMBERS

CONTRACTS = Path(__file__).resolve().parents[4] / "docs" / "contracts.md"
COMMITTEE = "digital-government-committee"


async def test_the_seeded_bodies_are_those_of_the_contracts_with_thai_names_verbatim(client, auth, seeded):
    listed = (await client.get("/api/v1/governance/bodies", headers=await auth("body_member"))).json()
    contracts = CONTRACTS.read_text()
    table = dict(re.findall(r"^\| `([a-z-]+)` \| ([^|]+?)(?:, the committee's secretariat)? \|$", contracts, re.M))
    assert {b["code"] for b in listed["items"]} == set(table)
    for body in listed["items"]:
        assert body["name"]["th"] == table[body["code"]]
        assert unicodedata.is_normalized("NFC", body["name"]["th"])
    by_code = {b["code"]: b for b in listed["items"]}
    assert [(m["subject"], m["role"]) for m in by_code[COMMITTEE]["members"]] == [
        ("demo-dgc-chair", "chair"), ("demo-dgc-member-1", "member"), ("demo-dgc-member-2", "member")]
    assert by_code["operations-budget-subcommittee"]["parent_code"] == COMMITTEE
    assert by_code[COMMITTEE]["rule"] == {"quorum": {"fraction": "1/2"}, "majority": "cast", "casting_vote": True}


async def test_seeding_twice_adds_nothing(seeded):
    assert await seed_governance(seeded) == {"bodies": 0, "members": 0, "definitions": 0}


async def test_pages_of_bodies(client, auth, seeded):
    first = (await client.get("/api/v1/governance/bodies?limit=2", headers=await auth("operator"))).json()
    second = (await client.get(f"/api/v1/governance/bodies?limit=10&cursor={first['next_cursor']}",
                               headers=await auth("operator"))).json()
    codes = [b["code"] for b in first["items"] + second["items"]]
    assert codes == sorted(codes) and len(codes) == 5 and second["next_cursor"] is None
    bad = await client.get("/api/v1/governance/bodies?cursor=%%%", headers=await auth("operator"))
    assert bad.status_code == 422


async def test_operators_create_bodies_idempotently(client, auth, seeded):
    body = {"code": "ict-subcommittee", "name": {"th": "คณะอนุกรรมการด้านเทคโนโลยี", "en": "ICT subcommittee"},
            "kind": "subcommittee", "parent_code": COMMITTEE,
            "rule": {"quorum": {"count": 2}, "majority": "members", "casting_vote": False}}
    headers = await auth("operator", key="new-body")
    created = await client.post("/api/v1/governance/bodies", json=body, headers=headers)
    assert created.status_code == 201, created.text
    again = await client.post("/api/v1/governance/bodies", json=body, headers=headers)
    assert again.status_code == 201 and again.json() == created.json()
    dup = await client.post("/api/v1/governance/bodies", json=body, headers=await auth("operator", key="other"))
    assert dup.status_code == 409
    bad_rule = {**body, "code": "x-body", "rule": {"quorum": {"fraction": "3/2"}}}
    refused = await client.post("/api/v1/governance/bodies", json=bad_rule, headers=await auth("operator", key="bad"))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "rule"
    no_parent = {**body, "code": "y-body", "parent_code": "nowhere"}
    assert (await client.post("/api/v1/governance/bodies", json=no_parent,
                              headers=await auth("operator", key="np"))).status_code == 422
    assert (await client.post("/api/v1/governance/bodies", json={**body, "code": "z"},
                              headers=await auth("secretariat", key="s"))).status_code == 403


async def test_changes_need_the_current_etag(client, auth, seeded):
    url = f"/api/v1/governance/bodies/{COMMITTEE}"
    read = await client.get(url, headers=await auth("operator"))
    tag = read.headers["etag"]
    change = {"rule": {"quorum": {"fraction": "2/3"}, "majority": "cast", "casting_vote": True}}
    assert (await client.patch(url, json=change, headers=await auth("operator"))).status_code == 428
    done = await client.patch(url, json=change, headers={**await auth("operator"), "If-Match": tag})
    assert done.status_code == 200, done.text
    assert done.json()["rule"]["quorum"] == {"fraction": "2/3"} and done.headers["etag"] != tag
    stale = await client.patch(url, json=change, headers={**await auth("operator"), "If-Match": tag})
    assert stale.status_code == 412
    audit = (await client.get(f"/api/v1/audit/entries?target=body:{COMMITTEE}", headers=await auth("operator"))).json()
    assert audit["items"][-1]["action"] == "body-changed"


async def test_members_reach_the_identity_and_one_chair_per_body(client, auth, seeded, gw):
    url = f"/api/v1/governance/bodies/{COMMITTEE}/members"
    added = await client.post(url, json={"subject": "new-member", "role": "member"}, headers=await auth("operator", key="m"))
    assert added.status_code == 201, added.text
    assert (await memberships_of(gw.runtime, "new-member"))[0] == frozenset({COMMITTEE})
    # The edge puts the membership in the forwarded identity: the inbox shows the committee's work.
    inbox = await client.get("/api/v1/governance/inbox", headers=await auth("body_member", subject="new-member"))
    assert inbox.status_code == 200
    second_chair = await client.post(url, json={"subject": "another", "role": "chair"}, headers=await auth("operator", key="c"))
    assert second_chair.status_code == 409
    member = f"{url}/new-member"
    tag = (await client.get(member, headers=await auth("operator"))).headers["etag"]
    off = await client.patch(member, json={"active": False}, headers={**await auth("operator"), "If-Match": tag})
    assert off.status_code == 200 and off.json()["active"] is False
    assert (await memberships_of(gw.runtime, "new-member"))[0] == frozenset()
    assert (await client.get(f"{url}/nobody", headers=await auth("operator"))).status_code == 404


async def test_a_membership_change_changes_the_bodys_etag(client, auth, seeded):
    url = f"/api/v1/governance/bodies/{COMMITTEE}"
    tag = (await client.get(url, headers=await auth("operator"))).headers["etag"]
    await client.post(f"{url}/members", json={"subject": "late-joiner", "role": "member"},
                      headers=await auth("operator", key="j"))
    read = await client.get(url, headers=await auth("operator"))
    assert read.headers["etag"] != tag and "late-joiner" in [m["subject"] for m in read.json()["members"]]
    stale = await client.patch(url, json={"kind": "committee"}, headers={**await auth("operator"), "If-Match": tag})
    assert stale.status_code == 412


async def test_forged_cursors_are_refused_not_crashed_on(client, auth, seeded):
    def forge(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    for url, value in [
        ("/api/v1/governance/bodies", [1]),
        ("/api/v1/governance/history", ["x"]),
        ("/api/v1/governance/history", [2**70]),
        ("/api/v1/governance/instances", ["2021-01-01T00:00:00", "x"]),
        ("/api/v1/governance/instances", [3, "x"]),
        ("/api/v1/governance/inbox", [None, "x"]),
    ]:
        response = await client.get(url, params={"cursor": forge(value)}, headers=await auth("operator"))
        assert response.status_code == 422, (url, value, response.text)
    for cursor in ("²", "9" * 30, "-1"):
        response = await client.get("/api/v1/audit/entries", params={"cursor": cursor}, headers=await auth("operator"))
        assert response.status_code == 422, cursor


async def test_rosters_name_their_members_and_an_operator_can_rename_one(client, auth, seeded):
    """A tally shows people's names: the seed names its demo members as make run's demo people are
    called, an added member may carry a name, and a PATCH changes it (If-Match)."""
    body = (await client.get(f"/api/v1/governance/bodies/{COMMITTEE}", headers=await auth("body_member"))).json()
    assert {m["subject"]: m["name"] for m in body["members"]} == {
        "demo-dgc-chair": "ประเสริฐ นำทาง", "demo-dgc-member-1": "สมชาย ใจดี", "demo-dgc-member-2": "สมหญิง ตั้งใจ"}
    url = f"/api/v1/governance/bodies/{COMMITTEE}/members"
    added = await client.post(url, json={"subject": "named-member", "role": "member", "name": "มานพ ตั้งมั่น"},
                              headers=await auth("operator", key="named"))
    assert added.status_code == 201 and added.json()["name"] == "มานพ ตั้งมั่น"
    unnamed = await client.post(url, json={"subject": "unnamed-member", "role": "member"},
                                headers=await auth("operator", key="unnamed"))
    assert unnamed.status_code == 201 and unnamed.json()["name"] is None
    tag = (await client.get(f"{url}/unnamed-member", headers=await auth("operator"))).headers["etag"]
    renamed = await client.patch(f"{url}/unnamed-member", json={"name": "ใหม่ มีชื่อ"},
                                 headers={**await auth("operator"), "If-Match": tag})
    assert renamed.status_code == 200 and renamed.json()["name"] == "ใหม่ มีชื่อ"
    empty = await client.post(url, json={"subject": "x-member", "role": "member", "name": ""},
                              headers=await auth("operator", key="empty"))
    assert empty.status_code == 422


def test_the_seeds_member_names_are_the_demo_peoples_names() -> None:
    people = {p.subject: p.name for p in DEMO_PEOPLE}
    assert {s for _, s, _ in DEMO_MEMBERS} == set(DEMO_MEMBER_NAMES)
    for subject, name in DEMO_MEMBER_NAMES.items():
        assert people[subject].startswith(name + " ("), (subject, people[subject])
