"""Postings through the API: exact money, invariants, authorization, idempotency, batches, reads."""

import pytest


def posting(stage: str, amount, project: str = "p-mof", category: str = "investment", fy: int = 2565) -> dict:
    return {"project_id": project, "fiscal_year": fy, "expense_category": category, "stage": stage, "amount": amount}


@pytest.fixture
async def approved_mof(seeded, runtime):
    """1,000,000.00 approved for p-mof FY2565 investment (as a screening approval would post it)."""
    from budget_ledger.adapters.ledger_repository import post
    from budget_ledger.domain.postings import AppropriationKey, Posting

    key = AppropriationKey("plan-dgdp", "plan-dgdp-S1", "p-mof", 2565, "investment")
    async with runtime.uow() as uow:
        await post(uow.session, [Posting(key, s, __import__("decimal").Decimal("1000000.00"), agency="MOF")
                                 for s in ("requested", "recommended", "approved")], "test")
        await uow.commit()
    return key


async def test_allocate_commit_disburse_and_refuse_overdraw(client, who, h, approved_mof):
    r = await client.post("/api/v1/budget/postings", json=posting("allocated", "600000.00"), headers={**who.secretariat(), **h.key("a1")})
    assert r.status_code == 201, r.text
    assert r.json()["amount"] == "600000.00" and r.json()["agency"] == "MOF"
    r = await client.post("/api/v1/budget/postings", json=posting("committed", "599999.99"), headers={**who.agency("MOF"), **h.key("c1")})
    assert r.status_code == 201
    over = await client.post("/api/v1/budget/postings", json=posting("committed", "0.02"), headers={**who.agency("MOF"), **h.key("c2")})
    assert over.status_code == 422
    assert over.json()["type"] == "urn:dgplan:problem:commitment-above-allocation"
    assert "by 0.01 baht" in over.json()["detail"]
    r = await client.post("/api/v1/budget/postings", json=posting("disbursed", "0.01"), headers={**who.agency("MOF"), **h.key("d1")})
    assert r.status_code == 201
    too_much_alloc = await client.post("/api/v1/budget/postings", json=posting("allocated", "400000.01"), headers={**who.secretariat(), **h.key("a2")})
    assert too_much_alloc.json()["type"] == "urn:dgplan:problem:allocation-above-approval"

    bal = (await client.get("/api/v1/budget/balances", params={"group_by": "project,fiscal_year"}, headers=who.secretariat())).json()
    (item,) = [i for i in bal["items"] if i["project"] == "p-mof"]
    assert item["balances"]["allocated"] == "600000.00"
    assert item["balances"]["committed"] == "599999.99"
    assert item["balances"]["disbursed"] == "0.01"
    assert item["available"] == {"to_allocate": "400000.00", "to_commit": "0.01", "to_disburse": "599999.98"}


async def test_only_the_lead_agency_commits_and_only_the_secretariat_allocates(client, who, h, approved_mof):
    r = await client.post("/api/v1/budget/postings", json=posting("allocated", "1.00"), headers={**who.agency("MOF"), **h.key("x1")})
    assert r.status_code == 403
    await client.post("/api/v1/budget/postings", json=posting("allocated", "10.00"), headers={**who.secretariat(), **h.key("x2")})
    r = await client.post("/api/v1/budget/postings", json=posting("committed", "1.00"), headers={**who.agency("OPDC"), **h.key("x3")})
    assert r.status_code == 403
    r = await client.post("/api/v1/budget/postings", json=posting("committed", "1.00"), headers=h.key("x4"))
    assert r.status_code == 401
    r = await client.post("/api/v1/budget/postings", json=posting("committed", "1.00", project="p-ghost"), headers={**who.agency("MOF"), **h.key("x5")})
    assert r.status_code == 422 and r.json()["type"] == "urn:dgplan:problem:unknown-project"
    assert r.json()["errors"][0]["field"] == "project_id"


@pytest.mark.parametrize(
    "amount, message",
    [
        (100.5, "send money as a decimal string"),
        (100, "send money as a decimal string"),
        ("0.00", "greater than zero"),
        ("-5.00", "greater than zero"),
        ("1.005", "two decimal places"),
        ("1e3", "not a decimal amount"),
        ("NaN", "not a decimal amount"),
    ],
)
async def test_bad_amounts_are_422_naming_the_field(client, who, h, seeded, amount, message):
    r = await client.post("/api/v1/budget/postings", json=posting("allocated", amount), headers={**who.secretariat(), **h.key("bad")})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    (error,) = r.json()["errors"]
    assert error["field"] == "amount" and message in error["message"]


async def test_idempotency_key_required_replayed_and_not_reusable(client, who, h, approved_mof, db):
    body = posting("allocated", "100.00")
    missing = await client.post("/api/v1/budget/postings", json=body, headers=who.secretariat())
    assert missing.status_code == 428 and missing.json()["type"] == "urn:dgplan:problem:idempotency-key-required"
    assert missing.json()["errors"][0]["field"] == "Idempotency-Key"
    first = await client.post("/api/v1/budget/postings", json=body, headers={**who.secretariat(), **h.key("same")})
    again = await client.post("/api/v1/budget/postings", json=body, headers={**who.secretariat(), **h.key("same")})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["idempotent-replayed"] == "true"
    reused = await client.post("/api/v1/budget/postings", json=posting("allocated", "100.01"), headers={**who.secretariat(), **h.key("same")})
    assert reused.status_code == 422 and reused.json()["type"] == "urn:dgplan:problem:idempotency-key-reused"
    entries = (await client.get("/api/v1/budget/entries", params={"stage": "allocated"}, headers=who.secretariat())).json()
    assert [e["amount"] for e in entries["items"]] == ["100.00"]


async def test_batch_is_atomic(client, who, h, approved_mof):
    ok = [posting("allocated", "100.00"), posting("allocated", "200.00", category="investment")]
    r = await client.post("/api/v1/budget/postings/batch", json={"entries": ok}, headers={**who.secretariat(), **h.key("b1")})
    assert r.status_code == 201 and r.json()["count"] == 2
    # the second entry overdraws p-opdc (nothing approved there): the first must not stay posted
    bad = [posting("allocated", "1.00"), posting("allocated", "1.00", project="p-opdc")]
    r = await client.post("/api/v1/budget/postings/batch", json={"entries": bad}, headers={**who.secretariat(), **h.key("b2")})
    assert r.status_code == 422
    entries = (await client.get("/api/v1/budget/entries", params={"stage": "allocated"}, headers=who.secretariat())).json()
    assert sorted(e["amount"] for e in entries["items"]) == ["100.00", "200.00"]
    wrong_field = [posting("allocated", "1.00"), posting("allocated", 1.0)]
    r = await client.post("/api/v1/budget/postings/batch", json={"entries": wrong_field}, headers={**who.secretariat(), **h.key("b3")})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "entries.1.amount"


async def test_entries_paginate_and_agencies_see_only_their_own(client, who, h, approved_mof):
    for i in range(5):
        await client.post("/api/v1/budget/postings", json=posting("allocated", f"{i + 1}.00"), headers={**who.secretariat(), **h.key(f"p{i}")})
    seen, cursor = [], None
    while True:
        params = {"stage": "allocated", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/v1/budget/entries", params=params, headers=who.agency("MOF"))).json()
        seen += [e["amount"] for e in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["1.00", "2.00", "3.00", "4.00", "5.00"]
    other = (await client.get("/api/v1/budget/entries", headers=who.agency("OPDC"))).json()
    assert other["items"] == []
    assert (await client.get("/api/v1/budget/entries", params={"agency": "MOF"}, headers=who.agency("OPDC"))).status_code == 403
    bad_cursor = await client.get("/api/v1/budget/entries", params={"cursor": "!!"}, headers=who.secretariat())
    assert bad_cursor.status_code == 422


async def test_a_retry_gets_its_first_answer_even_after_the_balance_is_used(client, who, h, approved_mof):
    await client.post("/api/v1/budget/postings", json=posting("allocated", "100.00"), headers={**who.secretariat(), **h.key("a")})
    first = await client.post("/api/v1/budget/postings", json=posting("committed", "60.00"), headers={**who.agency("MOF"), **h.key("c")})
    other = await client.post("/api/v1/budget/postings", json=posting("committed", "40.00"), headers={**who.agency("MOF"), **h.key("c2")})
    assert first.status_code == other.status_code == 201
    retry = await client.post("/api/v1/budget/postings", json=posting("committed", "60.00"), headers={**who.agency("MOF"), **h.key("c")})
    assert retry.status_code == 201 and retry.json() == first.json()
    bal = (await client.get("/api/v1/budget/balances", params={"group_by": "project", "project_id": "p-mof"}, headers=who.secretariat())).json()
    assert bal["items"][0]["balances"]["committed"] == "100.00"
