"""The priority ranking of a round's requests through the API (issue 17): the secretariat's criteria,
scores with reasons, the ranks and the cut line under the ceiling in the ranking, the status API
and the requests list, the package refused while the ranking is incomplete, and the ranking frozen
by the committee's approval of the package."""

from datetime import UTC, datetime, timedelta

import orjson
import pytest
from budget_ledger.adapters.tables import outbox, ranking_scores
from budget_ledger.events.types import PACKAGE_APPROVED, PACKAGE_RETURNED, PACKAGE_SUBMITTED, RANKING_APPROVED
from sqlalchemy import func, select

S = "/api/v1/screening"

CRITERIA = {"criteria": [
    {"code": "target-alignment", "name": {"th": "ความสอดคล้องกับเป้าหมายของแผน", "en": "Alignment with the plan's targets"},
     "weight": "3", "target": "T1"},
    {"code": "readiness", "name": {"th": "ความพร้อมของโครงการ", "en": "Readiness"}, "weight": "1"},
]}
# (target-alignment, readiness) per project → weighted (3a + r) / 4
SCORES = {"p-mof": ("90", "50"), "p-opdc": ("70", "90"), "p-depa": ("95", "95"), "p-mdes": ("40", "100")}


def _deadlines() -> dict:
    now = datetime.now(UTC)
    return {"submission_deadline": (now + timedelta(days=7)).isoformat(),
            "decision_deadline": (now + timedelta(days=14)).isoformat()}


@pytest.fixture
async def round_(client, who, h, seeded):  # type: ignore[no-untyped-def]
    body = {"plan_id": "plan-dgdp", "fiscal_year": 2565, "ceiling": "30000000.00", "title": "ปีงบประมาณ 2565", **_deadlines()}
    r = await client.post(f"{S}/rounds", json=body, headers={**who.secretariat(), **h.key("open")})
    assert r.status_code == 201, r.text
    round_id = r.json()["round_id"]
    plan = {"p-mof": ("MOF", {"investment": "20000000.00", "operating": "5000000.00"}, 1),
            "p-opdc": ("OPDC", {"operating": "8000000.00"}, 1),
            "p-depa": ("DEPA", {"investment": "12000000.00"}, 2),
            "p-mdes": ("MDES", {"subsidy": "3000000.00"}, None)}
    ids = {}
    for project, (agency, amounts, priority) in plan.items():
        body = {"project_id": project, "amounts": amounts, "justification": f"เหตุผล {project}",
                **({"priority": priority} if priority else {})}
        r = await client.post(f"{S}/rounds/{round_id}/requests", json=body, headers={**who.agency(agency), **h.key(f"req-{project}")})
        assert r.status_code == 201, r.text
        ids[project] = r.json()["request_id"]
    return round_id, ids


def _scores(ids, only=None):  # type: ignore[no-untyped-def]
    items = []
    for project, (alignment, readiness) in SCORES.items():
        for code, score in (("target-alignment", alignment), ("readiness", readiness)):
            if only is None or (project, code) in only:
                items.append({"request_id": ids[project], "criterion": code, "score": score, "reason": f"เหตุผลของคะแนน {project}"})
    return {"scores": items}


async def _ranking(client, who, round_id):  # type: ignore[no-untyped-def]
    r = await client.get(f"{S}/rounds/{round_id}/ranking", headers=who.member())
    assert r.status_code == 200, r.text
    return r.json()


async def _status(client, who, round_id, **params):  # type: ignore[no-untyped-def]
    r = await client.get(f"{S}/rounds/{round_id}/status", params=params, headers=who.member())
    assert r.status_code == 200, r.text
    return r.json()


async def test_criteria_and_scores_rank_the_requests_with_a_cut_line_under_the_ceiling(client, who, h, round_, db):
    round_id, ids = round_
    assert (await _status(client, who, round_id))["ranking"] is None
    assert (await _ranking(client, who, round_id))["status"] == "none"

    url = f"{S}/rounds/{round_id}/ranking/criteria"
    assert (await client.put(url, json=CRITERIA, headers=who.agency("MOF"))).status_code == 403
    assert (await client.put(url, json=CRITERIA, headers=who.member())).status_code == 403
    for bad in ({"criteria": [{**CRITERIA["criteria"][0], "weight": "0"}]},
                {"criteria": [{**CRITERIA["criteria"][0], "weight": "-1"}]},
                {"criteria": [{**CRITERIA["criteria"][0], "weight": 2.5}]},
                {"criteria": [CRITERIA["criteria"][0], CRITERIA["criteria"][0]]},
                {"criteria": []}):
        r = await client.put(url, json=bad, headers=who.secretariat())
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text
    assert (await client.put(f"{S}/rounds/nope/ranking/criteria", json=CRITERIA, headers=who.secretariat())).status_code == 404
    r = await client.put(url, json=CRITERIA, headers=who.secretariat())
    assert r.status_code == 200, r.text
    assert [c["code"] for c in r.json()["criteria"]] == ["target-alignment", "readiness"]
    assert r.json()["criteria"][0] == {"code": "target-alignment", "name": CRITERIA["criteria"][0]["name"], "weight": "3",
                                       "target": "T1"}
    version = r.json()["version"]

    scores_url = f"{S}/rounds/{round_id}/ranking/scores"
    assert (await client.put(scores_url, json=_scores(ids), headers=who.agency("MOF"))).status_code == 403
    assert (await client.put(scores_url, json=_scores(ids), headers=who.plain_member())).status_code == 403
    # bad input anywhere refuses the whole call: nothing written
    good = _scores(ids)["scores"]
    for bad, slug in (
        ({**good[0], "criterion": "cost"}, "unknown-criterion"),
        ({**good[0], "request_id": "not-a-request-of-this-round"}, "request-not-in-round"),
        ({**good[0], "score": "100.01"}, "validation-error"),
        ({**good[0], "score": "-1"}, "validation-error"),
        ({**good[0], "reason": " "}, "validation-error"),
        (good[0], "duplicate-score"),
    ):
        r = await client.put(scores_url, json={"scores": [*good, bad]}, headers=who.member())
        assert r.status_code == 422 and r.json()["type"] == f"urn:dgplan:problem:{slug}", r.text
    async with db.session() as s:
        assert await s.scalar(select(func.count()).select_from(ranking_scores)) == 0
    assert (await _ranking(client, who, round_id))["version"] == version

    # the secretariat scores all but one, with Thai reasons (normalised: a decomposed sara am is stored composed)
    partial = _scores(ids, only={(p, c) for p in SCORES for c in ("target-alignment", "readiness")} - {("p-mdes", "readiness")})
    partial["scores"][0]["reason"] = "ส\u0e4d\u0e32คัญ"
    r = await client.put(scores_url, json=partial, headers=who.secretariat())
    assert r.status_code == 200, r.text
    ranking = r.json()
    assert ranking["status"] == "draft" and ranking["version"] == version + 1 and ranking["complete"] is False
    mof = next(i for i in ranking["items"] if i["project_id"] == "p-mof")
    assert mof["scores"][0]["reason"] == "สำคัญ"
    # the subcommittee's chair scores the last one
    last = _scores(ids, only={("p-mdes", "readiness")})
    assert (await client.put(scores_url, json=last, headers=who.member())).status_code == 200

    ranking = await _ranking(client, who, round_id)
    assert ranking["complete"] is True
    assert [(i["project_id"], i["rank"], i["weighted_score"], i["amount"], i["cumulative"], i["above_cut_line"])
            for i in ranking["items"]] == [
        ("p-depa", 1, "95.00", "12000000.00", "12000000.00", True),
        ("p-mof", 2, "80.00", "25000000.00", "37000000.00", False),
        ("p-opdc", 3, "75.00", "8000000.00", "45000000.00", False),
        # it would fit on its own, but the line is a run from rank 1: the subcommittee decides in rank order
        ("p-mdes", 4, "55.00", "3000000.00", "48000000.00", False),
    ]
    assert ranking["cut_line"] == {"ceiling": "30000000.00", "above_count": 1, "above_total": "12000000.00",
                                   "remaining": "18000000.00", "below_count": 3, "total": "48000000.00",
                                   "last_rank_above": 1}

    # the status API: the round's cut line, each project's rank
    st = await _status(client, who, round_id)
    assert st["ranking"]["status"] == "draft" and st["ranking"]["criteria_count"] == 2
    assert st["ranking"]["cut_line"]["above_count"] == 1 and st["ranking"]["cut_line"]["above_total"] == "12000000.00"
    assert st["ceiling"] == "30000000.00" and st["requested_total"] == "48000000.00"  # the existing fields stay
    one = await _status(client, who, round_id, project_id="p-mof")
    assert one["rank"]["rank"] == 2 and one["rank"]["above_cut_line"] is False
    projects = (await client.get(f"{S}/rounds/{round_id}/status/projects", headers=who.member())).json()["items"]
    assert {i["project_id"]: i["rank"]["rank"] for i in projects} == {"p-depa": 1, "p-mof": 2, "p-opdc": 3, "p-mdes": 4}

    # the requests list: in ranking order, each with its place; an agency sees none
    listed = (await client.get(f"{S}/rounds/{round_id}/requests", params={"sort": "ranking", "limit": 3},
                               headers=who.member())).json()
    assert [(q["project_id"], q["ranking"]["rank"]) for q in listed["items"]] == [("p-depa", 1), ("p-mof", 2), ("p-opdc", 3)]
    assert listed["next_cursor"]
    more = (await client.get(f"{S}/rounds/{round_id}/requests", params={"sort": "ranking", "cursor": listed["next_cursor"]},
                             headers=who.member())).json()
    assert [q["project_id"] for q in more["items"]] == ["p-mdes"]
    own = (await client.get(f"{S}/rounds/{round_id}/requests", headers=who.agency("MOF"))).json()["items"]
    assert [q["ranking"] for q in own] == [None]
    detail = (await client.get(f"{S}/requests/{ids['p-mof']}", headers=who.secretariat())).json()
    assert detail["ranking"]["rank"] == 2

    # decisions move the line: what a request takes is then its recommended amount (nothing once deferred)
    async def decide(project, decision, amounts=None):  # type: ignore[no-untyped-def]
        body = {"decision": decision, "reason": "มติที่ประชุม", "meeting": h.meeting,
                **({"recommended_amounts": amounts} if amounts else {})}
        r = await client.post(f"{S}/requests/{ids[project]}/decisions", json=body,
                              headers={**who.member(), **h.key(f"dec-{project}-{decision}")})
        assert r.status_code == 201, r.text

    await decide("p-depa", "recommend-full")
    await decide("p-mof", "recommend-reduced", {"investment": "10000000.00", "operating": "3000000.00"})
    await decide("p-opdc", "defer")
    await decide("p-mdes", "recommend-full")
    ranking = await _ranking(client, who, round_id)
    assert [(i["project_id"], i["amount"], i["above_cut_line"]) for i in ranking["items"]] == [
        ("p-depa", "12000000.00", True), ("p-mof", "13000000.00", True), ("p-opdc", "0.00", True),
        ("p-mdes", "3000000.00", True)]
    assert ranking["cut_line"]["above_total"] == "28000000.00" and ranking["cut_line"]["above_total"] <= "30000000.00"


async def test_the_committee_approves_the_ranking_with_the_package_and_it_is_frozen(client, who, h, round_, feed, db):
    round_id, ids = round_
    secretariat = who.secretariat()
    assert (await client.put(f"{S}/rounds/{round_id}/ranking/criteria", json=CRITERIA, headers=secretariat)).status_code == 200
    scores_url = f"{S}/rounds/{round_id}/ranking/scores"
    partial = _scores(ids, only={(p, "target-alignment") for p in SCORES})
    assert (await client.put(scores_url, json=partial, headers=secretariat)).status_code == 200
    for project in ids:
        body = {"decision": "recommend-full" if project != "p-mof" else "defer", "reason": "มติ", "meeting": h.meeting}
        r = await client.post(f"{S}/requests/{ids[project]}/decisions", json=body, headers={**who.member(), **h.key(f"d-{project}")})
        assert r.status_code == 201, r.text

    # an incomplete ranking does not go to the committee
    pkg = await client.post(f"{S}/rounds/{round_id}/package", json={}, headers={**who.member(), **h.key("pkg-1")})
    assert pkg.status_code == 409 and pkg.json()["type"] == "urn:dgplan:problem:ranking-incomplete", pkg.text
    assert pkg.json()["incomplete"] == 4
    assert (await client.put(scores_url, json=_scores(ids), headers=secretariat)).status_code == 200
    pkg = await client.post(f"{S}/rounds/{round_id}/package", json={}, headers={**who.member(), **h.key("pkg-2")})
    assert pkg.status_code == 201, pkg.text

    # with the committee: nothing changes
    r = await client.put(scores_url, json=_scores(ids), headers=secretariat)
    assert r.status_code == 409 and r.json()["type"] == "urn:dgplan:problem:round-not-open"
    # returned: the ranking reopens with the decisions
    returned = {"instance_id": "i1", "round_id": round_id, "body": "digital-government-committee", "reason": "ทบทวน"}
    assert await feed(PACKAGE_RETURNED, round_id, returned, "gateway") == "processed"
    changed = _scores(ids, only={("p-mdes", "readiness")})
    changed["scores"][0]["score"] = "0"
    assert (await client.put(scores_url, json=changed, headers=secretariat)).status_code == 200
    pkg = await client.post(f"{S}/rounds/{round_id}/package", json={}, headers={**who.member(), **h.key("pkg-3")})
    assert pkg.status_code == 201, pkg.text
    before = await _ranking(client, who, round_id)

    approval = {"instance_id": "i1", "round_id": round_id, "fiscal_year": 2565, "body": "digital-government-committee",
                "decided_at": datetime.now(UTC).isoformat(), "reason": "อนุมัติ"}
    assert await feed(PACKAGE_APPROVED, round_id, approval, "gateway") == "processed"
    assert await feed(PACKAGE_APPROVED, round_id, approval, "gateway") == "processed"  # a replay changes nothing

    after = await _ranking(client, who, round_id)
    assert after["status"] == "approved" and after["approved_by"] == "digital-government-committee"
    assert after["version"] == before["version"]
    assert [(i["request_id"], i["rank"], i["weighted_score"], i["cumulative"], i["above_cut_line"]) for i in after["items"]] == [
        (i["request_id"], i["rank"], i["weighted_score"], i["cumulative"], i["above_cut_line"]) for i in before["items"]]
    assert after["cut_line"] == before["cut_line"]
    # depa 12 + opdc 8 + mdes 3 recommended, mof deferred: everything fits under the 30 million
    assert after["cut_line"]["above_count"] == 4 and after["cut_line"]["above_total"] == "23000000.00"
    st = await _status(client, who, round_id)
    assert st["status"] == "approved" and st["ranking"]["status"] == "approved" and st["ranking"]["approved_at"]

    for url, body in ((f"{S}/rounds/{round_id}/ranking/criteria", CRITERIA), (scores_url, _scores(ids))):
        r = await client.put(url, json=body, headers=secretariat)
        assert r.status_code == 409 and r.json()["type"] == "urn:dgplan:problem:ranking-frozen", r.text

    async with db.session() as s:
        envelopes = (await s.execute(select(outbox.c.envelope).where(outbox.c.event_type == RANKING_APPROVED))).scalars().all()
    assert len(envelopes) == 1
    data = orjson.loads(envelopes[0])["data"]
    assert data["round_id"] == round_id and data["version"] == after["version"]
    assert data["above_count"] == 4 and data["ceiling"] == "30000000.00"
    assert [r["rank"] for r in data["ranks"]] == [1, 2, 3, 4]
    # the package the committee approved named that version of the ranking
    async with db.session() as s:
        submitted = (await s.execute(select(outbox.c.envelope).where(outbox.c.event_type == PACKAGE_SUBMITTED)
                                     .order_by(outbox.c.id))).scalars().all()
    assert orjson.loads(submitted[-1])["data"]["ranking"] == {"version": after["version"], "above_count": 4,
                                                              "above_total": "23000000.00"}
