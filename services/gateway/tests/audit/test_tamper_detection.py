"""Altering, deleting or reordering any audit entry is detected, with the first broken seq and why."""

import asyncio
import json

import pytest
from sqlalchemy import delete, select, text, update

from dgplan_shared.db.engine import Database
from gateway.governance.domain.audit_chain import entry_hash, payload_hash
from gateway.governance.adapters import audit_repository
from gateway.governance.adapters.audit_repository import AuditRepository
from gateway.governance.adapters.audit_tables import audit_log
from dgplan_shared.cli import run_service_command
from gateway.definition import definition
from gateway.settings import Settings

ENTRIES = 6


async def write_entries(db, n=ENTRIES):
    for i in range(1, n + 1):
        async with db.session() as session:
            await AuditRepository(session).append(
                actor=f"member-{i}", acting_as="member@digital-government-committee", action="vote-cast",
                target="instance:abc", decision="propose", reason=f"เหตุผลที่ {i}", payload={"stage": "committee", "i": i},
            )
            await session.commit()


async def verify(db):
    async with db.session() as session:
        return await AuditRepository(session).verify()


async def _row(session, seq):
    return dict((await session.execute(select(audit_log).where(audit_log.c.seq == seq))).mappings().one())


async def alter_reason(session):
    await session.execute(update(audit_log).where(audit_log.c.seq == 3).values(reason="ไม่มีเหตุผล"))


async def alter_payload(session):
    await session.execute(update(audit_log).where(audit_log.c.seq == 3).values(payload={"stage": "cabinet", "i": 3}))


async def alter_and_rehash(session):
    """A careful forger recomputes the entry's own hashes; the next entry's link still gives it away."""
    row = await _row(session, 3)
    row.update(decision="reject", payload={"stage": "committee", "i": 99})
    row["payload_hash"] = payload_hash(row["payload"])
    row["hash"] = entry_hash(row)
    await session.execute(update(audit_log).where(audit_log.c.seq == 3).values(
        decision=row["decision"], payload=row["payload"], payload_hash=row["payload_hash"], hash=row["hash"]))


async def delete_middle(session):
    await session.execute(delete(audit_log).where(audit_log.c.seq == 3))


async def delete_last(session):
    await session.execute(delete(audit_log).where(audit_log.c.seq == ENTRIES))


async def delete_and_renumber(session):
    await session.execute(delete(audit_log).where(audit_log.c.seq == 3))
    for seq in range(4, ENTRIES + 1):
        await session.execute(update(audit_log).where(audit_log.c.seq == seq).values(seq=seq - 1))


async def swap_seq_numbers(session):
    await session.execute(update(audit_log).where(audit_log.c.seq == 3).values(seq=-1))
    await session.execute(update(audit_log).where(audit_log.c.seq == 4).values(seq=3))
    await session.execute(update(audit_log).where(audit_log.c.seq == -1).values(seq=4))


async def swap_contents(session):
    third, fourth = await _row(session, 3), await _row(session, 4)
    for target, source in ((3, fourth), (4, third)):
        values = {k: v for k, v in source.items() if k != "seq"}
        await session.execute(update(audit_log).where(audit_log.c.seq == target).values(**values))


@pytest.mark.parametrize(
    ("tamper", "seq", "problem"),
    [
        (alter_reason, 3, "altered"),
        (alter_payload, 3, "altered"),
        (alter_and_rehash, 3, "altered"),
        (delete_middle, 3, "missing"),
        (delete_last, ENTRIES, "missing"),
        (delete_and_renumber, 3, "missing"),
        (swap_seq_numbers, 3, "reordered"),
        (swap_contents, 3, "reordered"),
    ],
)
async def test_tampering_is_detected_at_the_first_broken_entry(db, tamper, seq, problem):
    await write_entries(db)
    intact = await verify(db)
    assert (intact.ok, intact.checked, intact.head_seq) == (True, ENTRIES, ENTRIES)
    async with db.session() as session:
        await tamper(session)
        await session.commit()
    result = await verify(db)
    assert (result.ok, result.first_broken_seq, result.problem) == (False, seq, problem), result


async def test_the_endpoint_reports_the_break_to_operators_and_the_secretariat(gateway_app, bearer, db):
    client, _ = gateway_app
    await write_entries(db)
    ok = await client.get("/api/v1/audit/verify", headers=await bearer("operator"))
    assert ok.status_code == 200 and ok.json()["ok"] is True
    async with db.session() as session:
        await alter_reason(session)
        await session.commit()
    broken = (await client.get("/api/v1/audit/verify", headers=await bearer("secretariat"))).json()
    assert (broken["ok"], broken["first_broken_seq"], broken["problem"]) == (False, 3, "altered")
    assert (await client.get("/api/v1/audit/verify", headers=await bearer("agency"))).status_code == 403
    assert (await client.get("/api/v1/audit/verify")).status_code == 401
    page = (await client.get("/api/v1/audit/entries?limit=4", headers=await bearer("operator"))).json()
    assert [e["seq"] for e in page["items"]] == [1, 2, 3, 4]
    rest = (await client.get(f"/api/v1/audit/entries?cursor={page['next_cursor']}", headers=await bearer("operator"))).json()
    assert [e["seq"] for e in rest["items"]] == [5, 6] and rest["next_cursor"] is None
    assert rest["items"][0]["reason"] == "เหตุผลที่ 5"


async def test_concurrent_appends_form_one_chain_and_the_command_checks_it(fresh_database_url, capsys):
    url = await fresh_database_url()
    database = Database.from_url(url, pool_size=5)
    try:
        async def one(i):
            async with database.session() as session:
                await AuditRepository(session).append(actor=f"a{i}", acting_as="system", action="test", target="t", payload={"i": i})
                await session.commit()

        await asyncio.gather(*(one(i) for i in range(20)))
        assert (await verify(database)).ok
        assert await run_service_command(definition(), Settings(database_url=url, bus="memory"), "verify-audit", []) == 0
        assert json.loads(capsys.readouterr().out)["checked"] == 20
        async with database.session() as session:
            await session.execute(text("DELETE FROM audit_log WHERE seq = 7"))
            await session.commit()
        assert await run_service_command(definition(), Settings(database_url=url, bus="memory"), "verify-audit", []) == 1
        report = json.loads(capsys.readouterr().out)
        assert (report["first_broken_seq"], report["problem"]) == (7, "missing")
    finally:
        await database.dispose()


async def test_verification_reads_the_log_page_by_page(db, monkeypatch):
    monkeypatch.setattr(audit_repository, "PAGE", 2)
    await write_entries(db)
    assert (await verify(db)).checked == ENTRIES
    async with db.session() as session:
        await session.execute(update(audit_log).where(audit_log.c.seq == 5).values(actor="someone else"))
        await session.commit()
    result = await verify(db)
    assert (result.first_broken_seq, result.problem, result.checked) == (5, "altered", 4)
