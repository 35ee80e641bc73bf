"""Budget frameworks: the seed's 6,504.69 million baht reconciles exactly; adjustments are idempotent."""

from sqlalchemy import func, select

from budget_ledger.adapters.tables import ledger_entries, outbox
from budget_ledger.events.types import FRAMEWORK_RECONCILED, PLAN_STRUCTURE_PUBLISHED


async def _framework_entries(db) -> int:
    async with db.session() as s:
        return await s.scalar(select(func.count()).select_from(ledger_entries).where(ledger_entries.c.stage == "framework"))


async def test_seed_reconciles_to_6504_69_million_baht_exactly(client, seeded, db):
    report = (await client.get("/api/v1/budget/frameworks/plan-dgdp/reconciliation")).json()
    assert report["plan_total"] == "6504690000.00"
    assert report["plan_total_million"] == "6504.69"
    assert report["strategies_total"] == "6504690000.00"
    assert report["difference"] == "0.00"
    assert report["balanced"] is True
    assert [(s["code"], s["framework_million"]) for s in report["strategies"]] == [
        ("S1", "4879.87"), ("S2", "518.46"), ("S3", "946.36"), ("S4", "160.00"),
    ]
    assert report["strategies"][0]["title"]["th"] == "ยกระดับคุณภาพการให้บริการประชาชนด้วยเทคโนโลยีดิจิทัล"
    async with db.session() as s:
        envelopes = (await s.execute(select(outbox.c.envelope).where(outbox.c.event_type == FRAMEWORK_RECONCILED))).scalars().all()
    assert len(envelopes) == 1 and '"balanced":true' in envelopes[0] and '"plan_total":"6504690000.00"' in envelopes[0]


async def test_republished_structure_posts_nothing_and_changed_figures_post_adjustments(client, seeded, feed, h, db):
    before = await _framework_entries(db)
    assert before == 5  # plan + four strategies
    assert await feed(PLAN_STRUCTURE_PUBLISHED, "plan-dgdp", h.structure_data()) == "processed"
    assert await _framework_entries(db) == before
    changed = ["4879870000.00", "518460000.00", "946360000.00", "150000000.00"]
    assert await feed(PLAN_STRUCTURE_PUBLISHED, "plan-dgdp", h.structure_data(amounts=changed, total="6494690000.00")) == "processed"
    assert await _framework_entries(db) == before + 2  # S4 and the plan total, one adjusting entry each
    entries = (await client.get("/api/v1/budget/entries", params={"stage": "framework", "order": "desc", "limit": 2},
                                headers={})).status_code
    assert entries == 401  # the ledger is not anonymous
    report = (await client.get("/api/v1/budget/frameworks/plan-dgdp/reconciliation")).json()
    assert report["plan_total_million"] == "6494.69" and report["balanced"] is True


async def test_unbalanced_structure_from_the_registry_is_recorded_and_flagged(client, feed, h):
    amounts = ["4879870000.00", "518460000.00", "946360000.00", "160000000.01"]
    assert await feed(PLAN_STRUCTURE_PUBLISHED, "plan-x", h.structure_data("plan-x", amounts=amounts)) == "processed"
    report = (await client.get("/api/v1/budget/frameworks/plan-x/reconciliation")).json()
    assert report["balanced"] is False
    assert report["difference"] == "-0.01"
    assert report["strategies_total"] == "6504690000.01"


async def test_import_refuses_unbalanced_figures_and_accepts_a_fiscal_year_split(client, who, h):
    body = {
        "plan_id": "plan-next",
        "plan_code": "DGDP-2566-2570",
        "start_fy": 2566,
        "end_fy": 2570,
        "plan_total": "1000.00",
        "strategies": [
            {"strategy_id": "n-s1", "code": "S1", "budget_framework": "600.00"},
            {"strategy_id": "n-s2", "code": "S2", "budget_framework": "399.99"},
        ],
    }
    bad = await client.post("/api/v1/budget/frameworks/import", json=body, headers={**who.secretariat(), **h.key("i1")})
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert bad.json()["type"] == "urn:dgplan:problem:framework-unbalanced"
    assert "difference 0.01" in bad.json()["detail"]

    body["strategies"][1]["budget_framework"] = "400.00"
    body["strategies"][1]["fiscal_years"] = {"2566": "150.00", "2567": "250.00"}
    ok = await client.post("/api/v1/budget/frameworks/import", json=body, headers={**who.secretariat(), **h.key("i2")})
    assert ok.status_code == 201, ok.text
    assert ok.json()["balanced"] is True
    assert ok.json()["strategies"][1]["fiscal_years"] == {"2566": "150.00", "2567": "250.00"}

    split_wrong = {**body, "strategies": [body["strategies"][0], {**body["strategies"][1], "fiscal_years": {"2566": "1.00"}}]}
    r = await client.post("/api/v1/budget/frameworks/import", json=split_wrong, headers={**who.secretariat(), **h.key("i3")})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "strategies.1.fiscal_years"

    agency = await client.post("/api/v1/budget/frameworks/import", json=body, headers={**who.agency("MOF"), **h.key("i4")})
    assert agency.status_code == 403
