"""The single posting's database work stays what it was before the shared command pipeline: the
project, the appropriation id, the entry, the outbox row, the idempotency row (ON CONFLICT DO
NOTHING, no look-up first) and the conditional balance update, in that order, then COMMIT."""

from decimal import Decimal

from sqlalchemy import event

from budget_ledger.adapters.ledger_repository import post
from budget_ledger.domain.postings import AppropriationKey, Posting


async def test_a_single_posting_costs_six_statements_with_the_balance_moved_last(client, who, h, seeded, runtime, db):
    key = AppropriationKey("plan-dgdp", "plan-dgdp-S1", "p-mof", 2565, "investment")
    async with runtime.uow() as uow:
        await post(uow.session, [Posting(key, s, Decimal("100.00"), agency="MOF") for s in ("requested", "recommended", "approved")], "t")
        await uow.commit()
    body = {"project_id": "p-mof", "fiscal_year": 2565, "expense_category": "investment", "stage": "allocated", "amount": "10.00"}
    await client.post("/api/v1/budget/postings", json=body, headers={**who.secretariat(), **h.key("warm")})

    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()[:3]).upper())

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        r = await client.post("/api/v1/budget/postings", json=body, headers={**who.secretariat(), **h.key("hot")})
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)
    assert r.status_code == 201, r.text
    work = [s for s in seen if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"))]
    assert len(work) == 6, seen
    assert [w.split()[0] for w in work] == ["SELECT", "SELECT", "INSERT", "INSERT", "INSERT", "UPDATE"], seen
    assert "LEDGER_ENTRIES" in work[2] and "OUTBOX" in work[3] and "IDEMPOTENCY_KEYS" in work[4], seen
