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
