"""Concurrent writers on a real (committing) database: one wins, the other gets a 409, never a 500."""

import asyncio

from dgplan_shared.db.engine import Database
from dgplan_shared.service import build_runtime, create_service_app
from dgplan_shared.testing.clients import asgi_client

from plan_registry.definition import definition
from plan_registry.commands import seed as load_seed


async def test_two_simultaneous_revisions_and_duplicate_codes(fresh_database_url, settings, bus, secretariat):
    own = settings.model_copy(update={"database_url": await fresh_database_url()})
    database = Database.from_url(own.database_url, pool_size=4)
    try:
        await load_seed(build_runtime(definition(), own, database, bus))
        app = create_service_app(definition(), own, db=database, bus=bus)
        async with asgi_client(app) as client:
            plan = (await client.get("/api/v1/plans", headers=secretariat)).json()["items"][0]
            revisions = await asyncio.gather(*(
                client.post(f"/api/v1/plans/{plan['id']}/versions", json={}, headers=secretariat | {"Idempotency-Key": f"rev-{i}"})
                for i in range(2)
            ))
            assert sorted(r.status_code for r in revisions) == [201, 409]
            draft = next(r.json() for r in revisions if r.status_code == 201)
            versions = (await client.get(f"/api/v1/plans/{plan['id']}/versions", headers=secretariat)).json()["items"]
            assert [v["number"] for v in versions] == [1, 2]

            strategies = (await client.get(f"/api/v1/plans/{plan['id']}/versions/{draft['id']}/nodes",
                                           params={"node_type": "strategy"}, headers=secretariat)).json()["items"]
            body = {"node_type": "measure", "code": "S1-M9", "parent_id": strategies[0]["id"], "name": {"th": "มาตรการ", "en": "Measure"}}
            creations = await asyncio.gather(*(
                client.post(f"/api/v1/plans/{plan['id']}/versions/{draft['id']}/nodes", json=body,
                            headers=secretariat | {"Idempotency-Key": f"node-{i}"})
                for i in range(2)
            ))
            assert sorted(r.status_code for r in creations) == [201, 409]
            same_key = await asyncio.gather(*(
                client.post(f"/api/v1/plans/{plan['id']}/versions/{draft['id']}/nodes", json={**body, "code": "S1-M10"},
                            headers=secretariat | {"Idempotency-Key": "same"})
                for _ in range(2)
            ))
            assert [r.status_code for r in same_key] == [201, 201]
            assert same_key[0].json()["id"] == same_key[1].json()["id"]
            new_plan = {"code": "DGDP-2566-2570", "title": {"th": "แผนใหม่", "en": "New plan"}, "start_fy": 2566, "end_fy": 2570}
            plans = await asyncio.gather(*(
                client.post("/api/v1/plans", json=new_plan, headers=secretariat | {"Idempotency-Key": f"plan-{i}"}) for i in range(3)
            ))
            assert sorted(r.status_code for r in plans) == [201, 409, 409]
    finally:
        await database.dispose()


async def test_registrations_run_side_by_side_and_a_shared_code_is_one_201_and_one_409(
    fresh_database_url, settings, bus, secretariat, identity,
):
    """Registrations into one draft no longer take turns on the plan row: two with the same code
    meet at the unique index, and the second is refused as a duplicate (a clear 409 problem, never a
    500); several under one parent still get distinct positions; a removal and a registration under
    the removed node do not both succeed."""
    own = settings.model_copy(update={"database_url": await fresh_database_url()})
    database = Database.from_url(own.database_url, pool_size=8)
    try:
        await load_seed(build_runtime(definition(), own, database, bus))
        app = create_service_app(definition(), own, db=database, bus=bus)
        async with asgi_client(app) as client:
            plan = (await client.get("/api/v1/plans", headers=secretariat)).json()["items"][0]
            draft = (await client.post(f"/api/v1/plans/{plan['id']}/versions", json={},
                                       headers=secretariat | {"Idempotency-Key": "rev"})).json()
            nodes_url = f"/api/v1/plans/{plan['id']}/versions/{draft['id']}/nodes"
            measures = (await client.get(nodes_url, params={"node_type": "measure"}, headers=secretariat)).json()["items"]
            parent = measures[0]["id"]
            oae = identity("agency", agency="OAE", subject="oae-system")

            def body(code: str, under: str = parent) -> dict:
                return {"plan_id": plan["id"], "parent_id": under, "code": code,
                        "name": {"th": "โครงการทดสอบ", "en": "A test project"}, "roles": [{"agency": "OAE", "role": "lead"}]}

            # Under two measures: nothing serializes them before the unique index does.
            same = await asyncio.gather(*(
                client.post("/api/v1/projects", json=body("RACE-1", measures[i]["id"]), headers=oae | {"Idempotency-Key": f"same-{i}"})
                for i in range(2)
            ))
            assert sorted(r.status_code for r in same) == [201, 409], [r.text for r in same]
            refused = next(r for r in same if r.status_code == 409)
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert refused.json()["type"].endswith("duplicate-code"), refused.json()
            assert refused.json()["errors"] == [{"field": "code", "message": "already used in this version"}]

            many = await asyncio.gather(*(
                client.post("/api/v1/projects", json=body(f"RACE-{i}"), headers=oae | {"Idempotency-Key": f"many-{i}"})
                for i in range(2, 8)
            ))
            assert [r.status_code for r in many] == [201] * 6, [r.text for r in many]
            siblings = (await client.get(nodes_url, params={"node_type": "project", "q": "RACE", "limit": 50},
                                         headers=secretariat)).json()["items"]
            positions = [n["position"] for n in siblings if n["parent_id"] == parent]
            assert len(positions) in (6, 7) and len(set(positions)) == len(positions), positions

            # A new work plan, then at once its removal and a registration under it: one of them wins.
            work_plan = (await client.post(nodes_url, json={"node_type": "work_plan", "code": "RACE-WP", "parent_id": parent,
                                                            "name": {"th": "แผนงาน", "en": "Work plan"}},
                                           headers=secretariat | {"Idempotency-Key": "wp"})).json()
            etag = (await client.get(f"{nodes_url}/{work_plan['id']}", headers=secretariat)).headers["etag"]
            removal, registration = await asyncio.gather(
                client.delete(f"{nodes_url}/{work_plan['id']}", headers=secretariat | {"If-Match": etag}),
                client.post("/api/v1/projects", json=body("RACE-UNDER-WP", work_plan["id"]),
                            headers=oae | {"Idempotency-Key": "under-wp"}),
            )
            assert sorted([removal.status_code, registration.status_code]) in ([201, 409], [204, 422]), (
                removal.text, registration.text)
            left = (await client.get(nodes_url, params={"q": "RACE-UNDER-WP"}, headers=secretariat)).json()["items"]
            assert len(left) == (1 if registration.status_code == 201 else 0)
    finally:
        await database.dispose()
