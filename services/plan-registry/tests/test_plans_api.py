"""Plans: create with validation and idempotency, read with ETag, update with If-Match, list."""

import hashlib
import json

from sqlalchemy import insert

from dgplan_shared.db.types import utcnow

from plan_registry.adapters.tables import idempotency_keys
from plan_registry.api.schemas import PlanCreate
from registry_test_helpers import outbox_events, validate_event

NEW_PLAN = {
    "code": "DGDP-2566-2570",
    "title": {"th": "แผนพัฒนารัฐบาลดิจิทัลของประเทศไทย พ.ศ. 2566 - 2570", "en": "Digital Government Development Plan 2566-2570"},
    "start_fy": 2566,
    "end_fy": 2570,
    "vision": {"th": "วิสัยทัศน์", "en": "Vision"},
    "declared": {"measures": 10, "work_plans": 12, "projects": 30},
    "declared_strategies": 5,
    "budget_framework": "1000000.00",
}


async def test_secretariat_drafts_a_plan_with_its_first_draft_version_and_events(client, secretariat, idem, db):
    response = await client.post("/api/v1/plans", json=NEW_PLAN, headers=secretariat | idem())
    assert response.status_code == 201, response.text
    plan = response.json()
    assert plan["code"] == "DGDP-2566-2570" and plan["latest_version_id"] and plan["approved_version_id"] is None
    version = (await client.get(f"/api/v1/plans/{plan['id']}/versions/{plan['latest_version_id']}", headers=secretariat)).json()
    assert version["status"] == "draft" and version["number"] == 1
    events = await outbox_events(db)
    assert [e["type"].split(".", 2)[2] for e in events] == [
        "plan.drafted.v1", "plan.version-created.v1", "plan.structure-published.v1"]
    for e in events:
        validate_event(e)
    published = events[2]["data"]
    assert published["budget_framework"] == "1000000.00" and published["declared"]["projects"] == 30


async def test_idempotency_key_replays_and_refuses_a_different_body(client, secretariat, db):
    headers = secretariat | {"Idempotency-Key": "plan-1"}
    first = await client.post("/api/v1/plans", json=NEW_PLAN, headers=headers)
    again = await client.post("/api/v1/plans", json=NEW_PLAN, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert len(await outbox_events(db, "dgplan.plan-registry.plan.drafted.v1")) == 1
    other = await client.post("/api/v1/plans", json={**NEW_PLAN, "code": "OTHER"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    missing = await client.post("/api/v1/plans", json=NEW_PLAN, headers=secretariat)
    assert missing.status_code == 428


async def test_bad_plan_input_is_a_problem_naming_the_field(client, secretariat, idem):
    cases = [
        ({**NEW_PLAN, "start_fy": 2570, "end_fy": 2566}, 422, "end_fy"),
        ({**NEW_PLAN, "start_fy": 2023, "end_fy": 2027}, 422, "start_fy"),
        ({**NEW_PLAN, "budget_framework": 1000000.0}, 422, "budget_framework"),
        ({**NEW_PLAN, "budget_framework": "12.345"}, 422, "budget_framework"),
        ({**NEW_PLAN, "title": {"th": "", "en": "x"}}, 422, "title.th"),
        ({**NEW_PLAN, "predecessor_plan_id": "nope"}, 422, "predecessor_plan_id"),
    ]
    for body, status, field in cases:
        response = await client.post("/api/v1/plans", json=body, headers=secretariat | idem())
        assert response.status_code == status, (field, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert field in [e["field"] for e in response.json()["errors"]], response.json()
    await client.post("/api/v1/plans", json=NEW_PLAN, headers=secretariat | idem())
    duplicate = await client.post("/api/v1/plans", json=NEW_PLAN, headers=secretariat | idem())
    assert duplicate.status_code == 409 and duplicate.json()["errors"][0]["field"] == "code"


async def test_only_secretariat_or_operator_create_plans(client, identity, idem):
    anonymous = await client.post("/api/v1/plans", json=NEW_PLAN, headers=idem())
    assert anonymous.status_code == 401
    agency = await client.post("/api/v1/plans", json=NEW_PLAN, headers=identity("agency", agency="DGA") | idem())
    assert agency.status_code == 403
    operator = await client.post("/api/v1/plans", json=NEW_PLAN, headers=identity("operator") | idem())
    assert operator.status_code == 201


async def test_update_needs_if_match_and_refuses_a_stale_etag(client, secretariat, idem):
    plan = (await client.post("/api/v1/plans", json=NEW_PLAN, headers=secretariat | idem())).json()
    read = await client.get(f"/api/v1/plans/{plan['id']}", headers=secretariat)
    etag = read.headers["etag"]
    change = {"title": {"th": "แผนฉบับใหม่", "en": "New title"}}
    assert (await client.patch(f"/api/v1/plans/{plan['id']}", json=change, headers=secretariat)).status_code == 428
    ok = await client.patch(f"/api/v1/plans/{plan['id']}", json=change, headers=secretariat | {"If-Match": etag})
    assert ok.status_code == 200 and ok.json()["title"]["en"] == "New title"
    stale = await client.patch(f"/api/v1/plans/{plan['id']}", json={"end_fy": 2571}, headers=secretariat | {"If-Match": etag})
    assert stale.status_code == 412
    backwards = await client.patch(
        f"/api/v1/plans/{plan['id']}", json={"end_fy": 2560}, headers=secretariat | {"If-Match": ok.headers["etag"]}
    )
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "end_fy"


async def test_predecessor_chain_cannot_loop(client, secretariat, idem, seeded):
    plan = (await client.post("/api/v1/plans", json={**NEW_PLAN, "predecessor_plan_id": seeded["id"]}, headers=secretariat | idem())).json()
    assert plan["predecessor_plan_id"] == seeded["id"]
    etag = (await client.get(f"/api/v1/plans/{seeded['id']}", headers=secretariat)).headers["etag"]
    loop = await client.patch(
        f"/api/v1/plans/{seeded['id']}", json={"predecessor_plan_id": plan["id"]}, headers=secretariat | {"If-Match": etag}
    )
    assert loop.status_code == 422 and loop.json()["errors"][0]["field"] == "predecessor_plan_id"


async def test_list_filters_by_fiscal_year_and_text_and_paginates(client, secretariat, idem, seeded):
    await client.post("/api/v1/plans", json=NEW_PLAN, headers=secretariat | idem())
    codes = lambda page: [p["code"] for p in page["items"]]  # noqa: E731
    assert codes((await client.get("/api/v1/plans", params={"fiscal_year": 2565}, headers=secretariat)).json()) == ["DGDP-2563-2565"]
    assert codes((await client.get("/api/v1/plans", params={"fiscal_year": 2568}, headers=secretariat)).json()) == ["DGDP-2566-2570"]
    assert codes((await client.get("/api/v1/plans", params={"q": "2566 - 2570"}, headers=secretariat)).json()) == ["DGDP-2566-2570"]
    assert codes((await client.get("/api/v1/plans", params={"status": "draft"}, headers=secretariat)).json()) == ["DGDP-2566-2570"]
    first = (await client.get("/api/v1/plans", params={"limit": 1}, headers=secretariat)).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = (await client.get("/api/v1/plans", params={"limit": 1, "cursor": first["next_cursor"]}, headers=secretariat)).json()
    assert codes(first) + codes(second) == ["DGDP-2563-2565", "DGDP-2566-2570"] and second["next_cursor"] is None
    # The public sees only plans with an approved version.
    assert codes((await client.get("/api/v1/plans")).json()) == ["DGDP-2563-2565"]
    bad = await client.get("/api/v1/plans", params={"cursor": "garbage!"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"


async def test_plans_sort_by_start_year_descending_across_pages(client, secretariat, idem, seeded):
    for code, start in (("P-2570", 2570), ("P-2566", 2566)):
        await client.post("/api/v1/plans", json={**NEW_PLAN, "code": code, "start_fy": start, "end_fy": start + 4}, headers=secretariat | idem())
    seen, cursor = [], None
    while True:
        params = {"sort": "-start_fy", "limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/plans", params=params, headers=secretariat)).json()
        seen += [(p["start_fy"], p["code"]) for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [(2570, "P-2570"), (2566, "P-2566"), (2563, "DGDP-2563-2565")]
    assert (await client.get("/api/v1/plans", params={"sort": "title"})).status_code == 422


async def test_a_key_stored_before_the_shared_store_still_replays(client, secretariat, db):
    """Migration 0003 keeps the registry's rows: a retry in flight during the upgrade gets its first
    answer, because the old store hashed a request exactly as the shared one does."""
    # What the old route hashed: the validated body with its defaults, as canonical JSON.
    payload = PlanCreate.model_validate(NEW_PLAN).model_dump(mode="json")
    old_hash = hashlib.sha256(
        json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    first_answer = {"id": "plan-from-before", "code": NEW_PLAN["code"]}
    async with db.session() as s:
        await s.execute(insert(idempotency_keys).values(
            scope="dga-officer|POST /api/v1/plans", key="before-upgrade", request_hash=old_hash, status_code=201,
            response=json.dumps(first_answer, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
            created_at=utcnow()))
        await s.commit()
    retry = await client.post("/api/v1/plans", json=NEW_PLAN, headers=secretariat | {"Idempotency-Key": "before-upgrade"})
    assert retry.status_code == 201 and retry.json() == first_answer
    assert await outbox_events(db, "dgplan.plan-registry.plan.drafted.v1") == []
