"""Read models built from registry and ledger events through the real inbox consumer, the event
history they keep, and a rebuild that reproduces them row for row."""

from decimal import Decimal

from sqlalchemy import select

from monitoring_test_events import (
    PLAN_ID,
    feed,
    plan_drafted,
    posting,
    project,
    seed_plan_events,
    snapshot,
    structure_published,
)
from dgplan_shared.events import CloudEvent
from monitoring.adapters.tables import READ_MODELS, consumed_events, outbox, rm_budget_entries, rm_plans, rm_projects
from monitoring.adapters.tables import rm_strategies
from monitoring_test_events import rebuild_read_models


async def outbox_events(db, event_type=None) -> list[CloudEvent]:  # type: ignore[no-untyped-def]
    async with db.session() as session:
        rows = (await session.execute(select(outbox.c.envelope).order_by(outbox.c.id))).scalars().all()
    events = [CloudEvent.from_json(r) for r in rows]
    return [e for e in events if event_type is None or e.type == event_type]


async def test_plan_structure_and_projects_are_projected_with_thai_intact(runtime, db):
    outcomes = await feed(runtime, *seed_plan_events())
    assert set(outcomes) == {"processed"}
    async with db.session() as session:
        plan = (await session.execute(select(rm_plans))).mappings().one()
        strategies = (await session.execute(select(rm_strategies).order_by(rm_strategies.c.number))).mappings().all()
        projects = (await session.execute(select(rm_projects))).mappings().all()
    assert plan["code"] == "DGDP-2563-2565"
    assert plan["title_th"] == "แผนพัฒนารัฐบาลดิจิทัลของประเทศไทย พ.ศ. 2563 - 2565"
    assert plan["budget_framework"] == Decimal("6504690000.00")
    assert plan["declared_projects"] == 41 and plan["approved_version_id"] == "v1"
    assert [s["code"] for s in strategies] == ["S1", "S2", "S3", "S4"]
    assert sum(s["budget_framework"] for s in strategies) == plan["budget_framework"]
    assert len(projects) == 10


async def test_a_changed_project_replaces_its_snapshot(runtime, db):
    await feed(runtime, project("p1", lead="MOF"), project("p1", lead="OPDC", changed=True, end_fy=2566))
    async with db.session() as session:
        row = (await session.execute(select(rm_projects))).mappings().one()
    assert (row["lead_agency"], row["end_fy"]) == ("OPDC", 2566)


async def test_a_redelivered_event_has_one_effect_and_one_history_entry(runtime, db):
    allocation = posting("allocation", "e1", "p1", "1000.00")
    assert await feed(runtime, project("p1"), allocation, allocation) == ["processed", "processed", "duplicate"]
    async with db.session() as session:
        assert len((await session.execute(select(rm_budget_entries))).all()) == 1
        assert len((await session.execute(select(consumed_events))).all()) == 2


async def test_tolerant_reader_ignores_unknown_fields_and_types(runtime, db):
    unknown = CloudEvent.new("plan-registry", "dgplan.plan-registry.plan.renamed.v1", "x", {"a": 1})
    sparse = CloudEvent.new("plan-registry", "dgplan.plan-registry.project.registered.v1", "p9",
                            {"project_id": "p9", "brand_new": [1, 2]})
    assert await feed(runtime, unknown, sparse) == ["ignored", "processed"]
    async with db.session() as session:
        row = (await session.execute(select(rm_projects))).mappings().one()
    assert row["project_id"] == "p9" and row["agencies"] == [] and row["lead_agency"] is None


async def test_registration_announces_the_first_status(runtime, db):
    await feed(runtime, structure_published(), project("p1"))
    (changed,) = await outbox_events(db, "dgplan.monitoring.evaluation.project-status-changed.v1")
    assert changed.subject == "p1"
    assert changed.data["previous_status"] is None
    assert changed.data["status"] == "not_reporting"


async def test_rebuild_reproduces_the_live_read_models_row_for_row(runtime, db):
    events = [
        plan_drafted(), *seed_plan_events(),
        project("P-S1-01", lead="DGA", changed=True, th="แพลตฟอร์มบริการประชาชน (ปรับปรุง)"),
        structure_published(version_id="v2"),
        posting("allocation", "a1", "P-S1-01", "1200000.00"),
        posting("commitment", "c1", "P-S1-01", "600000.00"),
        posting("disbursement", "d1", "P-S1-01", "300000.55"),
        posting("allocation", "a2", "P-S3-01", "900000.00", strategy="S3", agency="MDES"),
    ]
    await feed(runtime, *events)
    live = await snapshot(db)
    assert live["rm_budget_entries"] and live["rm_projects"] and live["rm_strategies"]
    applied = await rebuild_read_models(db)
    assert applied == len(events)
    assert await snapshot(db) == live


async def test_rebuild_from_an_emptied_read_model_restores_it(runtime, db):
    await feed(runtime, *seed_plan_events(), posting("allocation", "a1", "P-S1-01", "10.00"))
    live = await snapshot(db)
    async with db.session() as session:
        for table in READ_MODELS:
            await session.execute(table.delete())
        await session.commit()
    assert all(not rows for rows in (await snapshot(db)).values())
    await rebuild_read_models(db)
    assert await snapshot(db) == live


async def test_rebuild_command_is_wired():
    from monitoring.definition import definition

    assert "rebuild-read-models" in definition().commands
    assert set(definition().subscriptions) == {
        "plan-registry.plan.events", "plan-registry.project.events", "budget-ledger.budget.events"}
    assert PLAN_ID


async def test_announced_statuses_are_as_of_the_configured_today(runtime, db, monkeypatch):
    from monitoring import settings as handlers

    monkeypatch.setenv("MONITORING_FIXED_TODAY", "2022-01-10")
    handlers.consumer_settings.cache_clear()
    try:
        await feed(runtime, project("p1"), posting("allocation", "e1", "p1", "5.00", posted_at="2020-01-01T00:00:00Z"))
    finally:
        handlers.consumer_settings.cache_clear()
    (changed,) = await outbox_events(db, "dgplan.monitoring.evaluation.project-status-changed.v1")
    assert (changed.data["as_of"], changed.data["fiscal_year"]) == ("2022-01-10", 2565)
