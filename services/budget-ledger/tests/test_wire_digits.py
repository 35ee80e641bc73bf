"""Numbers on the wire are ASCII digits only (issue 16 item 2): Thai (๑๒), Devanagari (१००) and
full-width (１２) digits are refused with a 422 naming the field, in every money field and in the
integer ones, and nothing is written. Python's ``\\d`` and ``Decimal()`` accept them, so without the
check "๑๒.๐๐" would be stored as 12.00 although the OpenAPI pattern says 0–9."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from budget_ledger.adapters.tables import ledger_entries, screening_requests, screening_rounds

OTHER_DIGITS = ["๑๒.๐๐", "१००.००", "１２.００", "1๒.00", "12.0๐"]
S = "/api/v1/screening"


def _round_body(**overrides):
    now = datetime.now(timezone.utc)
    return {"plan_id": "plan-dgdp", "fiscal_year": 2565, "ceiling": "1000000.00",
            "submission_deadline": (now + timedelta(days=7)).isoformat(),
            "decision_deadline": (now + timedelta(days=14)).isoformat(), **overrides}


async def _count(db, table) -> int:
    async with db.session() as s:
        return await s.scalar(select(func.count()).select_from(table))


def _refused(r, field: str) -> None:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    fields = [e["field"] for e in r.json()["errors"]]
    assert fields == [field], r.json()


@pytest.mark.parametrize("amount", OTHER_DIGITS)
async def test_money_in_other_scripts_digits_is_refused_in_every_money_field(client, who, h, seeded, db, amount):
    posting = {"project_id": "p-mof", "fiscal_year": 2565, "expense_category": "investment", "stage": "allocated", "amount": amount}
    _refused(await client.post("/api/v1/budget/postings", json=posting, headers={**who.secretariat(), **h.key("p")}), "amount")
    _refused(await client.post("/api/v1/budget/postings/batch", json={"entries": [posting]},
                               headers={**who.secretariat(), **h.key("b")}), "entries.0.amount")
    assert await _count(db, ledger_entries) == 5  # the seeded frameworks only

    _refused(await client.post(f"{S}/rounds", json=_round_body(ceiling=amount), headers={**who.secretariat(), **h.key("o")}),
             "ceiling")
    assert await _count(db, screening_rounds) == 0

    framework = {"plan_id": "plan-x", "plan_total": amount, "strategies": [{"strategy_id": "s1", "budget_framework": "1.00"}]}
    _refused(await client.post("/api/v1/budget/frameworks/import", json=framework, headers={**who.secretariat(), **h.key("f1")}),
             "plan_total")
    framework = {"plan_id": "plan-x", "plan_total": "1.00", "strategies": [
        {"strategy_id": "s1", "budget_framework": "1.00", "fiscal_years": {"2565": amount}}]}
    _refused(await client.post("/api/v1/budget/frameworks/import", json=framework, headers={**who.secretariat(), **h.key("f2")}),
             "strategies.0.fiscal_years.2565")

    rnd = (await client.post(f"{S}/rounds", json=_round_body(), headers={**who.secretariat(), **h.key("ok")})).json()
    request = {"project_id": "p-mof", "amounts": {"operating": amount}, "justification": "เหตุผล"}
    _refused(await client.post(f"{S}/rounds/{rnd['round_id']}/requests", json=request, headers={**who.agency("MOF"), **h.key("r")}),
             "amounts.operating")
    assert await _count(db, screening_requests) == 0
    request["amounts"] = {"operating": "100.00"}
    req = (await client.post(f"{S}/rounds/{rnd['round_id']}/requests", json=request, headers={**who.agency("MOF"), **h.key("r2")})).json()
    decision = {"decision": "recommend-reduced", "reason": "ลด", "recommended_amounts": {"operating": amount}, "meeting": h.meeting}
    _refused(await client.post(f"{S}/requests/{req['request_id']}/decisions", json=decision, headers={**who.member(), **h.key("d")}),
             "recommended_amounts.operating")


@pytest.mark.parametrize("year", ["๒๕๖๕", "२५६५", "２５６５"])
async def test_integers_in_other_scripts_digits_are_refused_in_bodies_keys_and_queries(client, who, h, seeded, db, year):
    posting = {"project_id": "p-mof", "fiscal_year": year, "expense_category": "investment", "stage": "allocated", "amount": "1.00"}
    _refused(await client.post("/api/v1/budget/postings", json=posting, headers={**who.secretariat(), **h.key("p")}), "fiscal_year")
    _refused(await client.post(f"{S}/rounds", json=_round_body(fiscal_year=year), headers={**who.secretariat(), **h.key("o")}),
             "fiscal_year")
    framework = {"plan_id": "plan-x", "plan_total": "1.00", "start_fy": year,
                 "strategies": [{"strategy_id": "s1", "budget_framework": "1.00"}]}
    _refused(await client.post("/api/v1/budget/frameworks/import", json=framework, headers={**who.secretariat(), **h.key("f")}),
             "start_fy")
    framework = {"plan_id": "plan-x", "plan_total": "1.00",
                 "strategies": [{"strategy_id": "s1", "budget_framework": "1.00", "fiscal_years": {year: "1.00"}}]}
    r = await client.post("/api/v1/budget/frameworks/import", json=framework, headers={**who.secretariat(), **h.key("f2")})
    assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("strategies.0.fiscal_years"), r.text
    _refused(await client.get("/api/v1/budget/balances", params={"fiscal_year": year}, headers=who.secretariat()), "fiscal_year")
    _refused(await client.get("/api/v1/budget/entries", params={"limit": "๑๐"}, headers=who.secretariat()), "limit")
    assert await _count(db, screening_rounds) == 0
