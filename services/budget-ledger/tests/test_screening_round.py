"""A full FY 2565 screening round through the API, with the status API checked at every step."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError

from budget_ledger.adapters.tables import outbox, screening_rounds
from budget_ledger.events.types import PACKAGE_APPROVED, PACKAGE_RETURNED

S = "/api/v1/screening"


def deadlines(days_submit: int = 7, days_decide: int = 14) -> dict:
    now = datetime.now(timezone.utc)
    return {
        "submission_deadline": (now + timedelta(days=days_submit)).isoformat(),
        "decision_deadline": (now + timedelta(days=days_decide)).isoformat(),
    }


@pytest.fixture
def api(client, who, h):
    class Api:
        async def open_round(self, ceiling: str = "100000000.00", **extra):
            body = {"plan_id": "plan-dgdp", "fiscal_year": 2565, "ceiling": ceiling, "title": "ปีงบประมาณ 2565", **deadlines(), **extra}
            return await client.post(f"{S}/rounds", json=body, headers={**who.secretariat(), **h.key(f"open-{ceiling}")})

        async def submit(self, round_id, project, agency, amounts, key=None, **extra):
            body = {"project_id": project, "amounts": amounts, "justification": f"เหตุผล {project}", "priority": 1,
                    "multi_year": False, "alignment": {"target_ids": ["t1"]}, **extra}
            return await client.post(f"{S}/rounds/{round_id}/requests", json=body,
                                     headers={**who.agency(agency), **h.key(key or f"req-{project}")})

        async def decide(self, request_id, decision, reason="เหมาะสม", rank=None, amounts=None, key=None, headers=None):
            body = {"decision": decision, "reason": reason, "meeting": h.meeting, **({"rank": rank} if rank else {}),
                    **({"recommended_amounts": amounts} if amounts else {})}
            return await client.post(f"{S}/requests/{request_id}/decisions", json=body,
                                     headers={**(headers or who.member()), **h.key(key or f"dec-{request_id}-{decision}-{abs(hash(reason))}")})

        async def status(self, round_id, **params):
            r = await client.get(f"{S}/rounds/{round_id}/status", params=params, headers=who.member())
            assert r.status_code == 200, r.text
            return r.json()

    return Api()


async def test_full_fy2565_round_from_opening_to_posted_allocations(client, who, h, seeded, api, feed, db):
    opened = await api.open_round("50000000.00")
    assert opened.status_code == 201, opened.text
    rnd = opened.json()
    round_id = rnd["round_id"]
    assert rnd["fiscal_year_range"] == {"start": "2021-10-01", "end": "2022-09-30"}
    assert rnd["title"] == "ปีงบประมาณ 2565"

    st = await api.status(round_id)
    assert st["request_count"] == 0 and st["status"] == "open"
    assert 6 * 86400 < st["deadlines"]["submission"]["seconds_left"] <= 7 * 86400
    assert st["deadlines"]["decision"]["passed"] is False

    plan = {
        "p-mof": ("MOF", {"investment": "20000000.00", "operating": "5000000.00"}),
        "p-opdc": ("OPDC", {"operating": "8000000.00"}),
        "p-depa": ("DEPA", {"investment": "12000000.00"}),
        "p-mdes": ("MDES", {"subsidy": "3000000.00"}),
        "p-onde": ("ONDE", {"personnel": "1500000.50"}),
    }
    ids = {}
    for project, (agency, amounts) in plan.items():
        r = await api.submit(round_id, project, agency, amounts)
        assert r.status_code == 201, r.text
        ids[project] = r.json()["request_id"]
    st = await api.status(round_id)
    assert st["request_count"] == 5
    assert st["requested_total"] == "49500000.50"
    assert st["unscreened"] == {"count": 5, "requested": "49500000.50", "recommended": "0.00", "approved": "0.00"}

    assert (await api.decide(ids["p-mof"], "recommend-full", rank=1, reason="ลำดับความสำคัญสูงสุด")).status_code == 201
    r = await api.decide(ids["p-opdc"], "recommend-reduced", rank=2, amounts={"operating": "6000000.00"}, reason="ลดค่าใช้จ่าย")
    assert r.status_code == 201 and r.json()["recommended_total"] == "6000000.00"
    assert (await api.decide(ids["p-depa"], "defer", reason="เลื่อนไปปี 2566")).status_code == 201

    st = await api.status(round_id)
    assert st["screened_count"] == 3 and st["unscreened"]["count"] == 2
    assert st["decisions"]["recommend-full"] == {"count": 1, "requested": "25000000.00", "recommended": "25000000.00", "approved": "0.00"}
    assert st["decisions"]["recommend-reduced"]["recommended"] == "6000000.00"
    assert st["decisions"]["defer"]["count"] == 1
    assert st["recommended_total"] == "31000000.00" and st["ceiling_remaining"] == "19000000.00"
    s1 = await api.status(round_id, strategy_id="plan-dgdp-S1")
    assert s1["request_count"] == 2 and s1["unscreened"]["count"] == 0
    by_strategy = (await client.get(f"{S}/rounds/{round_id}/status/strategies", headers=who.member())).json()
    assert [(i["strategy_id"], i["request_count"], i["unscreened"]["count"]) for i in by_strategy["items"]] == [
        ("plan-dgdp-S1", 2, 0), ("plan-dgdp-S2", 1, 0), ("plan-dgdp-S3", 1, 1), ("plan-dgdp-S4", 1, 1)]
    by_agency = (await client.get(f"{S}/rounds/{round_id}/status/agencies", params={"limit": 2}, headers=who.member())).json()
    assert [i["agency"] for i in by_agency["items"]] == ["DEPA", "MDES"] and by_agency["next_cursor"]

    # the package cannot go while requests are unscreened
    early = await client.post(f"{S}/rounds/{round_id}/package", json={}, headers={**who.member(), **h.key("pkg-early")})
    assert early.status_code == 409 and early.json()["unscreened"] == 2

    assert (await api.decide(ids["p-mdes"], "reject", reason="ซ้ำซ้อนกับโครงการอื่น")).status_code == 201
    assert (await api.decide(ids["p-onde"], "return", reason="ขอรายละเอียดเพิ่มเติม")).status_code == 201
    # the agency revises the returned request (If-Match with the ETag it read), then it is recommended
    got = await client.get(f"{S}/requests/{ids['p-onde']}", headers=who.agency("ONDE"))
    revised = await client.post(
        f"{S}/requests/{ids['p-onde']}/revision",
        json={"project_id": "p-onde", "amounts": {"personnel": "1000000.00"}, "justification": "ปรับตามข้อสังเกต"},
        headers={**who.agency("ONDE"), **h.key("rev-1"), "If-Match": got.headers["etag"]},
    )
    assert revised.status_code == 200, revised.text
    assert revised.json()["decision"] is None and revised.json()["requested_total"] == "1000000.00"
    assert (await api.decide(ids["p-onde"], "recommend-full", rank=3, reason="ครบถ้วน")).status_code == 201

    # a changed decision keeps both in the history and reverses the ledger entries
    assert (await api.decide(ids["p-mdes"], "recommend-reduced", rank=4, amounts={"subsidy": "1000000.00"}, reason="ทบทวนใหม่")).status_code == 201
    detail = (await client.get(f"{S}/requests/{ids['p-mdes']}", headers=who.member())).json()
    assert [(e["action"], e["decision"], e["reason"]) for e in detail["history"]] == [
        ("submitted", None, "เหตุผล p-mdes"), ("decided", "reject", "ซ้ำซ้อนกับโครงการอื่น"),
        ("decided", "recommend-reduced", "ทบทวนใหม่")]

    st = await api.status(round_id)
    assert st["unscreened"]["count"] == 0 and st["recommended_total"] == "33000000.00"

    pkg = await client.post(f"{S}/rounds/{round_id}/package", json={"note": "ส่งคณะกรรมการ"}, headers={**who.member(), **h.key("pkg")})
    assert pkg.status_code == 201, pkg.text
    assert pkg.json()["status"] == "package-submitted"
    late = await api.decide(ids["p-depa"], "reject", reason="late")
    assert late.status_code == 409

    # the committee returns it once, then approves (events from the governance engine)
    assert await feed(PACKAGE_RETURNED, round_id, {"instance_id": "i1", "round_id": round_id, "body": "digital-government-committee", "reason": "ทบทวน"}, "gateway") == "processed"
    assert (await api.status(round_id))["status"] == "open"
    pkg = await client.post(f"{S}/rounds/{round_id}/package", json={"note": "ส่งอีกครั้ง"}, headers={**who.member(), **h.key("pkg2")})
    assert pkg.status_code == 201
    approval = {"instance_id": "i1", "round_id": round_id, "fiscal_year": 2565, "body": "digital-government-committee",
                "decided_at": datetime.now(timezone.utc).isoformat(), "reason": "อนุมัติ"}
    assert await feed(PACKAGE_APPROVED, round_id, approval, "gateway") == "processed"
    assert await feed(PACKAGE_APPROVED, round_id, approval, "gateway") == "processed"  # a second approval event changes nothing

    st = await api.status(round_id)
    assert st["status"] == "approved" and st["approved_total"] == "33000000.00"
    assert st["decisions"]["recommend-full"]["approved"] == "26000000.00"
    balances = (await client.get("/api/v1/budget/balances", params={"group_by": "project", "fiscal_year": 2565}, headers=who.secretariat())).json()
    allocated = {i["project"]: i["balances"]["allocated"] for i in balances["items"]}
    assert allocated == {"p-depa": "0.00", "p-mdes": "1000000.00", "p-mof": "25000000.00", "p-onde": "1000000.00", "p-opdc": "6000000.00"}
    deferred = {i["project"]: i["balances"]["deferred"] for i in balances["items"]}
    assert deferred["p-depa"] == "12000000.00"

    # the lead agency then commits and disburses against its allocation
    r = await client.post("/api/v1/budget/postings", json={"project_id": "p-mof", "fiscal_year": 2565, "expense_category": "investment",
                          "stage": "committed", "amount": "20000000.00"}, headers={**who.agency("MOF"), **h.key("mof-c")})
    assert r.status_code == 201

    closed = await client.post(f"{S}/rounds/{round_id}/close", json={"publish_results": True}, headers={**who.secretariat(), **h.key("close")})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    after_close = await api.decide(ids["p-depa"], "recommend-full", reason="after close")
    assert after_close.status_code == 409
    results = (await client.get(f"{S}/rounds/{round_id}/results")).json()
    assert results["summary"]["approved_total"] == "33000000.00"
    assert [i["project_id"] for i in results["items"][:4]] == ["p-mof", "p-opdc", "p-onde", "p-mdes"]

    async with db.session() as s:
        types = (await s.execute(select(outbox.c.event_type).order_by(outbox.c.id))).scalars().all()
    for expected in ("round-opened", "request-submitted", "decision-recorded", "package-submitted", "round-approved",
                     "allocation-posted", "commitment-posted", "round-closed"):
        assert any(f".{expected}.v1" in t for t in types), expected
    assert sum(t.endswith("allocation-posted.v1") for t in types) == 5  # one per allocated category


async def test_bad_screening_input_is_refused(client, who, h, seeded, api):
    round_id = (await api.open_round("10000000.00")).json()["round_id"]
    unknown = await api.submit(round_id, "p-ghost", "MOF", {"investment": "1.00"})
    assert unknown.status_code == 422 and unknown.json()["type"] == "urn:dgplan:problem:unknown-project"
    not_lead = await api.submit(round_id, "p-mof", "OPDC", {"investment": "1.00"})
    assert not_lead.status_code == 403
    as_float = await api.submit(round_id, "p-mof", "MOF", {"investment": 1.5}, key="float")
    assert as_float.status_code == 422 and as_float.json()["errors"][0]["field"] == "amounts.investment"
    bad_category = await api.submit(round_id, "p-mof", "MOF", {"travel": "1.00"}, key="cat")
    assert bad_category.status_code == 422

    req = (await api.submit(round_id, "p-mof", "MOF", {"investment": "6000000.00", "operating": "1000000.00"})).json()
    dup = await api.submit(round_id, "p-mof", "MOF", {"investment": "5.00"}, key="another-key")
    assert dup.status_code == 409 and dup.json()["type"] == "urn:dgplan:problem:request-exists"

    above = await api.decide(req["request_id"], "recommend-reduced", amounts={"investment": "6000000.01"})
    assert above.status_code == 422 and above.json()["type"] == "urn:dgplan:problem:recommendation-above-request"
    assert above.json()["errors"][0]["field"] == "recommended_amounts.investment"
    assert (await api.decide(req["request_id"], "recommend-reduced")).status_code == 422  # amounts missing
    outsider = await api.decide(req["request_id"], "recommend-full", headers=who.outsider())
    assert outsider.status_code == 403
    agency = await api.decide(req["request_id"], "recommend-full", headers=who.agency("MOF"))
    assert agency.status_code == 403
    assert (await api.decide(req["request_id"], "approve")).status_code == 422  # not a decision

    req2 = (await api.submit(round_id, "p-opdc", "OPDC", {"operating": "5000000.00"})).json()
    await api.decide(req["request_id"], "recommend-full")
    await api.decide(req2["request_id"], "recommend-full")
    over = await client.post(f"{S}/rounds/{round_id}/package", json={}, headers={**who.member(), **h.key("pkg")})
    assert over.status_code == 422 and over.json()["type"] == "urn:dgplan:problem:approvals-above-ceiling"

    no_member = await client.post(f"{S}/rounds/{round_id}/package", json={}, headers={**who.secretariat(), **h.key("pkg2")})
    assert no_member.status_code == 403
    not_secretariat = await client.post(f"{S}/rounds", json={"plan_id": "plan-dgdp", "fiscal_year": 2565, "ceiling": "1.00", **deadlines()},
                                        headers={**who.member(), **h.key("o")})
    assert not_secretariat.status_code == 403
    backwards = await api.open_round("2.00", **deadlines(days_submit=10, days_decide=5))
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "decision_deadline"
    unknown_plan = await client.post(f"{S}/rounds", json={"plan_id": "nope", "fiscal_year": 2565, "ceiling": "1.00", **deadlines()},
                                     headers={**who.secretariat(), **h.key("o2")})
    assert unknown_plan.status_code == 422
    not_approved = await client.post(f"{S}/rounds/{round_id}/close", json={}, headers={**who.secretariat(), **h.key("c")})
    assert not_approved.status_code == 409
    assert (await client.get(f"{S}/rounds/{round_id}/results")).status_code == 404  # not published
    assert (await client.get(f"{S}/rounds/{round_id}/status", headers=who.agency("MOF"))).status_code == 403
    assert (await client.get(f"{S}/requests/{req['request_id']}", headers=who.agency("OPDC"))).status_code == 404
    revision = await client.post(f"{S}/requests/{req['request_id']}/revision",
                                 json={"project_id": "p-mof", "amounts": {"investment": "1.00"}, "justification": "x"},
                                 headers={**who.agency("MOF"), **h.key("r")})
    assert revision.status_code == 428


async def test_submission_after_the_deadline_is_refused(client, who, h, seeded, db):
    now = datetime.now(timezone.utc)
    body = {"plan_id": "plan-dgdp", "fiscal_year": 2565, "ceiling": "1000.00",
            "submission_deadline": (now + timedelta(hours=1)).isoformat(), "decision_deadline": (now + timedelta(days=1)).isoformat()}
    round_id = (await client.post(f"{S}/rounds", json=body, headers={**who.secretariat(), **h.key("late")})).json()["round_id"]
    # a round opens only with its deadline ahead; then time passes it (an hour ago, as far as the round knows)
    async with db.session() as s:
        await s.execute(update(screening_rounds).where(screening_rounds.c.round_id == round_id)
                        .values(submission_deadline=now - timedelta(hours=1)))
        await s.commit()
    r = await client.post(f"{S}/rounds/{round_id}/requests", json={"project_id": "p-mof", "amounts": {"investment": "1.00"}, "justification": "x"},
                          headers={**who.agency("MOF"), **h.key("x")})
    assert r.status_code == 409 and r.json()["type"] == "urn:dgplan:problem:submission-deadline-passed"
    st = (await client.get(f"{S}/rounds/{round_id}/status", headers=who.member())).json()
    assert st["deadlines"]["submission"] == {**st["deadlines"]["submission"], "seconds_left": 0, "passed": True}


async def test_one_round_per_plan_and_fiscal_year_and_the_database_holds_it(client, who, h, seeded, api, db):
    first = await api.open_round("1000.00")
    assert first.status_code == 201, first.text
    again = await api.open_round("2000.00")  # another key, another body: a second FY 2565 round
    assert again.status_code == 409, again.text
    assert again.headers["content-type"] == "application/problem+json"
    assert again.json()["type"] == "urn:dgplan:problem:round-exists"
    assert again.json()["round_id"] == first.json()["round_id"] and "fiscal year 2565" in again.json()["detail"]
    other_year = await api.open_round("3000.00", fiscal_year=2564)
    assert other_year.status_code == 201, other_year.text
    async with db.session() as s:
        years = (await s.execute(select(screening_rounds.c.fiscal_year).order_by(screening_rounds.c.fiscal_year))).scalars().all()
        assert years == [2564, 2565]
        assert await s.scalar(select(func.count()).select_from(outbox).where(outbox.c.event_type.like("%round-opened%"))) == 2
    # not only the use case's check: the table refuses a second row however it is written
    row = {k: v for k, v in first.json().items() if k in ("plan_id", "fiscal_year")}
    async with db.session() as s:
        with pytest.raises(IntegrityError):
            await s.execute(text(
                "INSERT INTO screening_rounds (round_id, plan_id, fiscal_year, ceiling, submission_deadline, decision_deadline, "
                "status, approved_total, version, opened_by, opened_at, published) VALUES ('r-2', :plan_id, :fiscal_year, 1, "
                ":at, :at, 'open', 0, 1, 'sql', :at, :no)"), {**row, "at": datetime.now(timezone.utc), "no": False})
        await s.rollback()


async def test_a_round_whose_submission_deadline_has_passed_is_refused_saying_why(client, who, h, seeded, api, db):
    passed = await api.open_round("1000.00", **deadlines(days_submit=-1, days_decide=7))
    assert passed.status_code == 422, passed.text
    problem = passed.json()
    assert problem["type"] == "urn:dgplan:problem:submission-deadline-in-the-past"
    assert problem["errors"][0]["field"] == "submission_deadline"
    assert "already passed" in problem["errors"][0]["message"] and "no agency could submit" in problem["detail"]
    async with db.session() as s:
        assert await s.scalar(select(func.count()).select_from(screening_rounds)) == 0
        assert await s.scalar(select(func.count()).select_from(outbox).where(outbox.c.event_type.like("%round-opened%"))) == 0
    assert (await api.open_round("1000.00")).status_code == 201  # the same round with its deadline ahead opens


async def test_a_request_decision_is_the_subcommittees_resolution_recorded_by_its_chair(client, who, h, seeded, api, db):
    """Issue 16 item 8: a plain member cannot decide for the body; the chair (or secretary) records
    the resolution of a named meeting, and a replaced decision stays in the history with its meeting."""
    from budget_ledger.adapters.tables import ledger_entries, request_history  # lazy: tables of this test only

    round_id = (await api.open_round("10000000.00")).json()["round_id"]
    request_id = (await api.submit(round_id, "p-mof", "MOF", {"operating": "500000.00"})).json()["request_id"]

    async def written() -> tuple[int, int]:
        async with db.session() as s:
            return (
                await s.scalar(select(func.count()).select_from(ledger_entries)),
                await s.scalar(select(func.count()).select_from(request_history)),
            )

    before = await written()
    alone = await api.decide(request_id, "recommend-full", headers=who.plain_member(), key="alone")
    assert alone.status_code == 403, alone.text
    assert alone.headers["content-type"] == "application/problem+json"
    assert "chair or the secretary" in alone.json()["detail"]
    package = await client.post(f"{S}/rounds/{round_id}/package", json={}, headers={**who.plain_member(), **h.key("pk")})
    assert package.status_code == 403
    assert await written() == before  # nothing half-written by a refused member

    future = {**h.meeting, "held_on": (datetime.now(timezone.utc) + timedelta(days=3)).date().isoformat()}
    early = await client.post(f"{S}/requests/{request_id}/decisions", json={"decision": "reject", "reason": "x", "meeting": future},
                              headers={**who.member(), **h.key("future")})
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "meeting.held_on", early.text
    unnamed = await client.post(f"{S}/requests/{request_id}/decisions", json={"decision": "reject", "reason": "x"},
                                headers={**who.member(), **h.key("unnamed")})
    assert unnamed.status_code == 422 and "meeting" in unnamed.text
    assert await written() == before

    first = await api.decide(request_id, "reject", reason="ซ้ำซ้อน")
    assert first.status_code == 201, first.text
    assert first.json()["decision_meeting"] == h.meeting
    second_meeting = {"title": "การประชุมคณะอนุกรรมการฯ ครั้งที่ 3/2564", "held_on": "2021-12-01", "resolution": None}
    replaced = await client.post(
        f"{S}/requests/{request_id}/decisions",
        json={"decision": "recommend-full", "reason": "ทบทวนแล้วเหมาะสม", "meeting": second_meeting},
        headers={**who.member(), **h.key("replace")},
    )
    assert replaced.status_code == 201, replaced.text
    detail = (await client.get(f"{S}/requests/{request_id}", headers=who.member())).json()
    assert detail["decision"] == "recommend-full" and detail["decision_meeting"] == second_meeting
    decided = [(e["decision"], e["meeting"], e["actor"]) for e in detail["history"] if e["action"] == "decided"]
    assert decided == [("reject", h.meeting, "subcommittee-chair"), ("recommend-full", second_meeting, "subcommittee-chair")]
    async with db.session() as s:
        envelopes = (await s.execute(
            select(outbox.c.envelope).where(outbox.c.event_type.like("%decision-recorded%")).order_by(outbox.c.id)
        )).scalars().all()
    told = [(json.loads(e)["data"]["meeting"]["title"], json.loads(e)["data"]["recorded_by"]) for e in envelopes]
    assert told == [(h.meeting["title"], "subcommittee-chair"), (second_meeting["title"], "subcommittee-chair")]
