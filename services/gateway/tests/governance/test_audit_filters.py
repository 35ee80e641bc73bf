"""The audit log read by who, what and when (the console's oversight page asks for each), paged
with the same cursor; an instant without its offset is refused, as every instant of this API is."""

from datetime import datetime, timedelta, timezone

COMMITTEE = "digital-government-committee"


async def _entries(client, auth, **params):
    answer = await client.get("/api/v1/audit/entries", params=params, headers=await auth("operator"))
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_entries_by_actor_action_and_time(client, auth, seeded):
    added = await client.post(f"/api/v1/governance/bodies/{COMMITTEE}/members",
                              json={"subject": "audited-member", "role": "member"},
                              headers=await auth("operator", subject="op-1", key="audited"))
    assert added.status_code == 201, added.text
    mine = await _entries(client, auth, actor="op-1")
    assert [(e["action"], e["target"]) for e in mine["items"]] == [("member-added", f"body:{COMMITTEE}")]
    seeded_members = await _entries(client, auth, action="member-added", actor="governance-seed")
    assert len(seeded_members["items"]) == 9 and {e["action"] for e in seeded_members["items"]} == {"member-added"}
    at = datetime.fromisoformat(mine["items"][0]["at"].replace("Z", "+00:00"))
    window = await _entries(client, auth, since=(at - timedelta(seconds=1)).isoformat(),
                            until=(at + timedelta(seconds=1)).isoformat())
    assert "op-1" in {e["actor"] for e in window["items"]}
    later = await _entries(client, auth, since=(at + timedelta(seconds=1)).isoformat())
    assert later["items"] == []
    # ``until`` is exclusive: an entry written at that very instant belongs to the next window.
    before = await _entries(client, auth, actor="op-1", until=mine["items"][0]["at"])
    assert before["items"] == []


async def test_a_filtered_list_pages_with_its_cursor(client, auth, seeded):
    first = await _entries(client, auth, action="member-added", limit=4)
    second = await _entries(client, auth, action="member-added", limit=10, cursor=first["next_cursor"])
    seqs = [e["seq"] for e in first["items"] + second["items"]]
    assert len(seqs) == 9 and seqs == sorted(seqs) and second["next_cursor"] is None


async def test_an_instant_without_offset_is_refused(client, auth, seeded):
    for value in ("2026-12-01T00:00:00", "yesterday", "0.5", "1733011200"):
        answer = await client.get("/api/v1/audit/entries", params={"since": value}, headers=await auth("operator"))
        assert answer.status_code == 422, (value, answer.text)
    with_offset = datetime(2026, 12, 1, tzinfo=timezone.utc).isoformat()
    assert (await client.get("/api/v1/audit/entries", params={"until": with_offset},
                             headers=await auth("operator"))).status_code == 200
