"""Issue 16, the registry's items: each test failed on the code before the fix."""

import asyncio
import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import insert, select

from dgplan_shared.db.engine import build_engine
from dgplan_shared.db.migrations import downgrade, upgrade
from dgplan_shared.service import create_service_app

from plan_registry.adapters.tables import nodes, plan_versions, plans
from plan_registry.definition import definition

from registry_test_helpers import outbox_events, validate_event

PLAN = {"code": "P-HARD", "title": {"th": "แผนทดสอบ", "en": "Test plan"}, "start_fy": 2563, "end_fy": 2565}
# "ทํา" as some keyboards and PDF copy type it: NIKHAHIT + SARA AA, not SARA AM.
TAM_SPLIT = "\u0e17\u0e4d\u0e32"
TAM = "\u0e17\u0e33"


@pytest.fixture
async def plan(client, secretariat, idem, seeded):  # type: ignore[no-untyped-def]
    created = (await client.post("/api/v1/plans", json=PLAN, headers=secretariat | idem())).json()
    base = f"/api/v1/plans/{created['id']}/versions/{created['latest_version_id']}/nodes"
    strategy = (await client.post(base, json={"node_type": "strategy", "code": "S1", "name": {"th": "ยุทธศาสตร์", "en": "S"}},
                                  headers=secretariat | idem())).json()
    return created, base, strategy


def _project(plan_id: str, parent: str, code: str, **extra):  # type: ignore[no-untyped-def]
    return {"plan_id": plan_id, "parent_id": parent, "code": code, "name": {"th": f"โครงการ {code}", "en": code},
            "roles": [{"agency": "DGA", "role": "lead"}], **extra}


async def test_a_project_running_past_its_plans_period_is_refused_saying_why(client, plan, secretariat, idem):
    created, base, strategy = plan
    late = await client.post("/api/v1/projects", json=_project(created["id"], strategy["id"], "P-LATE", start_fy=2565, end_fy=2567),
                             headers=secretariat | idem())
    assert late.status_code == 422 and late.headers["content-type"] == "application/problem+json"
    problem = late.json()
    assert problem["errors"][0]["field"] == "end_fy"
    assert "2565–2567" in problem["detail"] and "2563–2565" in problem["detail"]
    early = await client.post("/api/v1/projects", json=_project(created["id"], strategy["id"], "P-EARLY", start_fy=2562, end_fy=2563),
                              headers=secretariat | idem())
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "start_fy"
    inside = await client.post("/api/v1/projects", json=_project(created["id"], strategy["id"], "P-IN", start_fy=2564, end_fy=2565),
                               headers=secretariat | idem())
    assert inside.status_code == 201, inside.text
    node = f"{base}/{inside.json()['id']}"
    etag = (await client.get(node, headers=secretariat)).headers["etag"]
    moved = await client.patch(node, json={"end_fy": 2566}, headers=secretariat | {"If-Match": etag})
    assert moved.status_code == 422 and moved.json()["errors"][0]["field"] == "end_fy"
    listed = (await client.get("/api/v1/projects", params={"version": "latest", "q": "P-"}, headers=secretariat)).json()
    assert [p["code"] for p in listed["items"]] == ["P-IN"]


async def test_thai_typed_as_nikhahit_and_sara_aa_is_stored_normalized_and_found_either_way(client, plan, secretariat, idem):
    created, _, strategy = plan
    name = {"th": f"ระบบ{TAM_SPLIT}งาน", "en": "Work system"}
    response = await client.post("/api/v1/projects", json={**_project(created["id"], strategy["id"], "P-TAM"), "name": name},
                                 headers=secretariat | idem())
    assert response.status_code == 201, response.text
    assert response.json()["name"]["th"] == f"ระบบ{TAM}งาน"
    for term in (TAM, TAM_SPLIT, f"ระบบ{TAM}"):
        found = (await client.get("/api/v1/projects", params={"version": "latest", "q": term}, headers=secretariat)).json()
        assert [p["code"] for p in found["items"]] == ["P-TAM"], term
        nodes = (await client.get(f"/api/v1/plans/{created['id']}/versions/{created['latest_version_id']}/nodes",
                                  params={"q": term}, headers=secretariat)).json()
        assert [n["code"] for n in nodes["items"]] == ["P-TAM"], term


async def test_removing_a_project_from_a_draft_announces_it(client, plan, secretariat, idem, db):
    created, base, strategy = plan
    project = (await client.post("/api/v1/projects", json=_project(created["id"], strategy["id"], "P-GONE"),
                                 headers=secretariat | idem())).json()
    measure = (await client.post(base, json={"node_type": "measure", "code": "S1-M1", "parent_id": strategy["id"],
                                             "name": {"th": "มาตรการ", "en": "M"}}, headers=secretariat | idem())).json()
    for node in (project, measure):
        etag = (await client.get(f"{base}/{node['id']}", headers=secretariat)).headers["etag"]
        assert (await client.delete(f"{base}/{node['id']}", headers=secretariat | {"If-Match": etag})).status_code == 204
    removed = await outbox_events(db, "dgplan.plan-registry.project.removed.v1")
    assert len(removed) == 1  # the measure is no project: nothing to announce
    assert removed[0]["subject"] == project["id"]
    assert removed[0]["data"] == {"project_id": project["id"], "code": "P-GONE", "plan_id": created["id"],
                                  "version_id": created["latest_version_id"], "removed_by": "dga-officer"}
    validate_event(removed[0])


def test_if_match_is_documented_as_required_where_a_missing_one_is_a_428():
    document = create_service_app(definition()).openapi()
    updates = [
        ("patch", "/api/v1/plans/{plan_id}"), ("patch", "/api/v1/agencies/{code}"), ("patch", "/api/v1/projects/{project_id}"),
        ("patch", "/api/v1/plans/{plan_id}/versions/{version_id}/nodes/{node_id}"),
        ("delete", "/api/v1/plans/{plan_id}/versions/{version_id}/nodes/{node_id}"),
    ]
    for method, path in updates:
        operation = document["paths"][path][method]
        (if_match,) = [p for p in operation["parameters"] if p["in"] == "header" and p["name"].lower() == "if-match"]
        assert if_match["required"] is True, (method, path)
        assert if_match["schema"]["type"] == "string" and "anyOf" not in if_match["schema"]
        assert {"412", "428"} <= set(operation["responses"]), (method, path)


async def test_a_missing_if_match_is_still_a_428_not_a_validation_error(client, plan, secretariat, idem):
    created, base, strategy = plan
    project = (await client.post("/api/v1/projects", json=_project(created["id"], strategy["id"], "P-ETAG"),
                                 headers=secretariat | idem())).json()
    for path, body in ((f"/api/v1/plans/{created['id']}", {"end_fy": 2566}), ("/api/v1/agencies/DGA", {"parent_code": None}),
                       (f"/api/v1/projects/{project['id']}", {"status": "planned"})):
        response = await client.patch(path, json=body, headers=secretariat)
        assert response.status_code == 428 and response.json()["type"].endswith("precondition-required"), path


async def test_text_stored_before_normalization_is_rewritten_by_the_migration(fresh_database_url):
    """Rows written before the one normalization existed are found by the usual spelling after 0006."""
    url = await fresh_database_url()
    await asyncio.to_thread(downgrade, definition().migrations, url, "0005")
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    engine = build_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(plans).values(id="p", code="P", title_th=f"แผน{TAM_SPLIT}", title_en="P",
                                                    start_fy=2563, end_fy=2565, latest_version_id="v", created_at=now))
            await conn.execute(insert(plan_versions).values(id="v", plan_id="p", number=1, status="draft", created_at=now))
            await conn.execute(insert(nodes).values(
                version_id="v", node_id="n", node_type="strategy", code="S1", position=1, name_th=f"ระบบ{TAM_SPLIT}งาน",
                name_en="S", attributes=json.dumps({"note": {"th": TAM_SPLIT}}, ensure_ascii=False)))
        await asyncio.to_thread(upgrade, definition().migrations, url)
        async with engine.connect() as conn:
            node = (await conn.execute(select(nodes))).one()
            title = await conn.scalar(select(plans.c.title_th))
    finally:
        await engine.dispose()
    assert node.name_th == f"ระบบ{TAM}งาน" and title == f"แผน{TAM}"
    assert json.loads(node.attributes) == {"note": {"th": TAM}}
