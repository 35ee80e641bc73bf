"""On PostgreSQL with a real connection pool: concurrent postings on one appropriation keep every
invariant and each succeeds or fails cleanly; concurrent duplicates have exactly one effect."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from budget_ledger.adapters.tables import appropriations, ledger_entries, screening_requests, screening_rounds
from budget_ledger.definition import definition
from budget_ledger.events.types import PLAN_STRUCTURE_PUBLISHED, PROJECT_REGISTERED
from budget_ledger.adapters.ledger_repository import post
from budget_ledger.domain.postings import AppropriationKey, Posting
from budget_ledger.settings import Settings
from dgplan_shared.bus.memory import InMemoryBus
from dgplan_shared.service import create_service_app
from dgplan_contracts.identity import AGENCY, SECRETARIAT
from dgplan_shared.testing.clients import asgi_client, identity_headers
from dgplan_shared.testing.databases import migrated_database_url

pytestmark = pytest.mark.postgres
SUBCOMMITTEE = "operations-budget-subcommittee"


@pytest.fixture
def who():  # type: ignore[no-untyped-def]
    """Identity headers for the live app's settings (not tied to the per-backend fixtures)."""
    settings = Settings()

    class Who:
        def secretariat(self) -> dict[str, str]:
            return identity_headers(settings, subject="dga-officer", roles=[SECRETARIAT])

        def agency(self, code: str) -> dict[str, str]:
            return identity_headers(settings, subject=f"system-{code.lower()}", roles=[AGENCY], agency=code)

    return Who()


@pytest.fixture
async def live(postgres_server, tmp_path, who, h):  # type: ignore[no-untyped-def]
    url = await migrated_database_url("budget_ledger:migrations", "postgres", postgres_server=postgres_server,
                                      directory=tmp_path, prefix="budget_ledger_conc")
    app = create_service_app(definition(), Settings(database_url=url, bus="memory", database_pool_size=40), bus=InMemoryBus())
    async with asgi_client(app) as client:
        runtime = app.state.runtime
        consumer = runtime.consumer()
        await consumer.handle_record(h.record(PLAN_STRUCTURE_PUBLISHED, "plan-dgdp", h.structure_data()))
        for project, lead, strategy in (("p-mof", "MOF", "S1"), ("p-opdc", "OPDC", "S1")):
            await consumer.handle_record(h.record(PROJECT_REGISTERED, project, h.project_data(project, lead, strategy)))
        async with runtime.uow() as uow:
            for project in ("p-mof", "p-opdc"):
                key = AppropriationKey("plan-dgdp", "plan-dgdp-S1", project, 2565, "investment")
                await post(uow.session, [Posting(key, s, Decimal("100.00"), agency="MOF" if project == "p-mof" else "OPDC")
                                         for s in ("requested", "recommended", "approved")], "setup")
            await uow.commit()
        yield client, runtime


def commitment(amount: str, project: str = "p-mof", stage: str = "committed") -> dict:
    return {"project_id": project, "fiscal_year": 2565, "expense_category": "investment", "stage": stage, "amount": amount}


async def _balances(runtime, project: str = "p-mof"):  # type: ignore[no-untyped-def]
    async with runtime.db.session() as s:
        return (await s.execute(select(appropriations).where(appropriations.c.project_id == project))).mappings().one()


async def test_32_concurrent_postings_on_one_appropriation_never_overdraw(live, who, h):
    client, runtime = live
    r = await client.post("/api/v1/budget/postings", json=commitment("100.00", stage="allocated"), headers={**who.secretariat(), **h.key("alloc")})
    assert r.status_code == 201
    responses = await asyncio.gather(*(
        client.post("/api/v1/budget/postings", json=commitment("5.00"), headers={**who.agency("MOF"), **h.key(f"c{i}")})
        for i in range(32)
    ))
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] * 20 + [422] * 12, codes
    assert all(r.json()["type"] == "urn:dgplan:problem:commitment-above-allocation" for r in responses if r.status_code == 422)
    row = await _balances(runtime)
    assert row["committed"] == Decimal("100.00") and row["allocated"] == Decimal("100.00")
    async with runtime.db.session() as s:
        total = await s.scalar(select(func.sum(ledger_entries.c.amount)).where(ledger_entries.c.stage == "committed"))
    assert total == Decimal("100.00")


async def test_concurrent_batches_locking_in_opposite_orders_do_not_deadlock(live, who, h):
    client, runtime = live
    a, b = commitment("1.00", "p-mof", "allocated"), commitment("1.00", "p-opdc", "allocated")
    responses = await asyncio.gather(*(
        client.post("/api/v1/budget/postings/batch", json={"entries": [a, b] if i % 2 else [b, a]},
                    headers={**who.secretariat(), **h.key(f"b{i}")})
        for i in range(32)
    ))
    assert [r.status_code for r in responses] == [201] * 32
    assert (await _balances(runtime, "p-mof"))["allocated"] == Decimal("32.00")
    assert (await _balances(runtime, "p-opdc"))["allocated"] == Decimal("32.00")


async def test_concurrent_duplicate_postings_have_exactly_one_effect(live, who, h):
    client, runtime = live
    responses = await asyncio.gather(*(
        client.post("/api/v1/budget/postings", json=commitment("7.00", stage="allocated"), headers={**who.secretariat(), **h.key("dup")})
        for _ in range(16)
    ))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["entry_id"] for r in responses}) == 1
    assert (await _balances(runtime))["allocated"] == Decimal("7.00")


async def test_concurrent_duplicate_submissions_have_exactly_one_effect(live, who, h):
    client, runtime = live
    now = datetime.now(timezone.utc)
    rnd = (await client.post("/api/v1/screening/rounds", json={"plan_id": "plan-dgdp", "fiscal_year": 2565, "ceiling": "1000.00",
           "submission_deadline": (now + timedelta(days=1)).isoformat(), "decision_deadline": (now + timedelta(days=2)).isoformat()},
           headers={**who.secretariat(), **h.key("round")})).json()
    body = {"project_id": "p-mof", "amounts": {"operating": "10.00"}, "justification": "ซ้ำ"}
    same_key = await asyncio.gather(*(
        client.post(f"/api/v1/screening/rounds/{rnd['round_id']}/requests", json=body, headers={**who.agency("MOF"), **h.key("sub")})
        for _ in range(8)
    ))
    assert {r.status_code for r in same_key} == {201}
    assert len({r.json()["request_id"] for r in same_key}) == 1
    other_keys = await asyncio.gather(*(
        client.post(f"/api/v1/screening/rounds/{rnd['round_id']}/requests", json=body, headers={**who.agency("MOF"), **h.key(f"k{i}")})
        for i in range(8)
    ))
    assert {r.status_code for r in other_keys} == {409}
    async with runtime.db.session() as s:
        assert await s.scalar(select(func.count()).select_from(screening_requests)) == 1
        requested = await s.scalar(select(func.sum(ledger_entries.c.amount)).where(ledger_entries.c.stage == "requested",
                                                                                  ledger_entries.c.expense_category == "operating"))
    assert requested == Decimal("10.00")


async def test_concurrent_openings_of_the_same_plan_and_year_leave_one_round(live, who, h):
    """The use case's check cannot see a round another transaction has not committed yet; the
    unique index makes the later of two concurrent openings a 409 too, not a second round."""
    client, runtime = live
    now = datetime.now(timezone.utc)
    body = {"plan_id": "plan-dgdp", "fiscal_year": 2564, "ceiling": "1000.00",
            "submission_deadline": (now + timedelta(days=1)).isoformat(), "decision_deadline": (now + timedelta(days=2)).isoformat()}
    answers = await asyncio.gather(*(
        client.post("/api/v1/screening/rounds", json=body, headers={**who.secretariat(), **h.key(f"open-{i}")}) for i in range(8)
    ))
    assert sorted(r.status_code for r in answers) == [201] + [409] * 7, [r.text for r in answers]
    assert {r.json()["type"] for r in answers if r.status_code == 409} == {"urn:dgplan:problem:round-exists"}
    async with runtime.db.session() as s:
        assert await s.scalar(select(func.count()).select_from(screening_rounds).where(screening_rounds.c.fiscal_year == 2564)) == 1
