"""The B.E. 2563-2565 plan, seeded idempotently, holds the document's facts exactly."""

from decimal import Decimal

from sqlalchemy import func, select

from plan_registry.adapters.tables import nodes, plans
from plan_registry.commands import seed as load_seed

THAI_SOURCE_FARMERS = "การพัฒนาระบบฐานข้อมูลเกษตรกร"


async def test_loading_the_seed_twice_leaves_exactly_one_plan_and_changes_nothing(runtime, db):
    assert await load_seed(runtime) == "created"
    async with db.session() as s:
        before = (await s.scalar(select(func.count()).select_from(nodes)), await s.scalar(select(func.count()).select_from(plans)))
    assert await load_seed(runtime) == "unchanged"
    async with db.session() as s:
        after = (await s.scalar(select(func.count()).select_from(nodes)), await s.scalar(select(func.count()).select_from(plans)))
    assert before == after
    assert after[1] == 1


async def test_completeness_shows_four_of_four_strategies_and_the_declared_counts(client, seeded):
    report = (await client.get(f"/api/v1/plans/{seeded['id']}/completeness")).json()
    assert report["strategies"] == {"declared": 4, "registered": 4, "missing": 0}
    assert report["measures"] == {"declared": 15, "registered": 8, "missing": 7}
    assert report["work_plans"] == {"declared": 20, "registered": 0, "missing": 20}
    assert report["projects"] == {"declared": 41, "registered": 10, "missing": 31}
    assert report["complete"] is False
    per = {s["code"]: s for s in report["per_strategy"]}
    declared = {c: (per[c]["measures"]["declared"], per[c]["work_plans"]["declared"], per[c]["projects"]["declared"]) for c in per}
    assert declared == {"S1": (4, 7, 17), "S2": (5, 6, 8), "S3": (3, 4, 11), "S4": (3, 3, 5)}
    assert per["S1"]["projects"]["registered"] == 4 and per["S2"]["projects"]["registered"] == 2


async def test_plan_facts_vision_focus_areas_objectives_targets_and_money(client, seeded):
    assert seeded["start_fy"] == 2563 and seeded["end_fy"] == 2565
    page = (await client.get(f"/api/v1/plans/{seeded['id']}/versions/{seeded['approved_version_id']}/nodes", params={"limit": 200})).json()
    by_type: dict[str, list] = {}
    for n in page["items"]:
        by_type.setdefault(n["node_type"], []).append(n)
    assert len(by_type["focus_area"]) == 6
    assert len(by_type["objective"]) == 5
    assert len(by_type["target"]) == 4
    assert len(by_type["strategy"]) == 4
    root = by_type["plan"][0]
    assert root["attributes"]["vision"]["th"] == "รัฐบาลดิจิทัล เปิดเผย เชื่อมโยง และร่วมกันสร้างบริการที่มีคุณค่าให้ประชาชน"
    assert root["budget_framework"] == "6504690000.00"
    budgets = {s["code"]: s["budget_framework"] for s in by_type["strategy"]}
    assert budgets == {"S1": "4879870000.00", "S2": "518460000.00", "S3": "946360000.00", "S4": "160000000.00"}
    assert sum(Decimal(v) for v in budgets.values()) == Decimal(root["budget_framework"])
    roles = {s["code"]: sorted(r["agency"] for r in s["roles"]) for s in by_type["strategy"]}
    assert roles == {"S1": ["MOF", "OAE", "OPDC"], "S2": ["DEPA", "DGA", "OPDC"], "S3": ["DGA", "MDES", "NSTDA"], "S4": ["DGA", "ONDE", "OPDC"]}
    assert THAI_SOURCE_FARMERS in [p["name"]["th"] for p in by_type["project"]]


async def test_thai_text_is_verbatim_from_the_source_document(client, seeded):
    from pathlib import Path

    source = (Path(__file__).resolve().parents[3].parent / "shared" / "seed" / "000_1dbf7e593c736740.txt")
    page = (await client.get(f"/api/v1/plans/{seeded['id']}/versions/{seeded['approved_version_id']}/nodes", params={"limit": 200})).json()
    names = [n["name"]["th"] for n in page["items"] if n["node_type"] != "plan"]
    assert len(names) == 37
    if source.exists():  # the design-of-record folder sits beside the repository
        text = source.read_text(encoding="utf-8")
        assert [n for n in names if n not in text] == []


async def test_seeded_nesdc_observations_are_answered_and_closed(client, seeded):
    page = (await client.get("/api/v1/observations", params={"plan_id": seeded["id"]})).json()
    assert len(page["items"]) == 3
    assert {o["raised_by_body"] for o in page["items"]} == {"nesdc"}
    assert {o["status"] for o in page["items"]} == {"closed"}
    assert any("5 ปี" in o["text"]["th"] for o in page["items"])


def test_the_packaged_seed_is_what_the_builder_makes():
    """The JSON is generated from tools/build_seed.py (where each fact is spelled out once)."""
    import importlib.util
    import json
    from importlib import resources
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("build_seed", Path(__file__).resolve().parents[1] / "tools" / "build_seed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    packaged = json.loads(resources.files("plan_registry.seed").joinpath("plan-2563-2565.json").read_text(encoding="utf-8"))
    assert module.build() == packaged


async def test_the_seed_is_announced_as_the_cabinet_approved_version(client, seeded, db):
    """Other services learn the seed as approved (monitoring makes an approved plan's scorecard public)."""
    from registry_test_helpers import outbox_events, validate_event

    approved = await outbox_events(db, "dgplan.plan-registry.plan.version-approved.v1")
    assert [e["data"]["version_id"] for e in approved] == [seeded["approved_version_id"]]
    validate_event(approved[0])
    published = await outbox_events(db, "dgplan.plan-registry.plan.structure-published.v1")
    assert published[-1]["data"]["version_id"] == seeded["approved_version_id"]
    # the approval names the seed's ten projects, each announced from the approved version
    registered = await outbox_events(db, "dgplan.plan-registry.project.registered.v1")
    assert len(registered) == 10
    assert approved[0]["data"]["project_ids"] == sorted(e["data"]["project_id"] for e in registered)
    assert {e["data"]["version_id"] for e in registered} == {seeded["approved_version_id"]}
