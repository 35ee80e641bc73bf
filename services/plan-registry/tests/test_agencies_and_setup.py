"""Agencies (codes, names, parent ministry) and the ways the seed gets loaded (CLI, make run)."""

from sqlalchemy import func, select

from dgplan_shared.bus.memory import InMemoryBus
from dgplan_shared.cli import run_service_command
from plan_registry.adapters.tables import plans
from plan_registry.definition import definition

MDES_CHILD = {"code": "DEPA-X", "name": {"th": "หน่วยงานทดสอบ", "en": "Test unit"}, "parent_code": "MDES"}


async def test_the_seed_names_the_eight_agencies_of_the_contracts(client, seeded):
    page = (await client.get("/api/v1/agencies")).json()
    assert [a["code"] for a in page["items"]] == ["DEPA", "DGA", "MDES", "MOF", "NSTDA", "OAE", "ONDE", "OPDC"]
    dga = (await client.get("/api/v1/agencies/DGA")).json()
    assert dga["name"] == {"th": "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)", "en": "Digital Government Development Agency (Public Organization)"}
    found = (await client.get("/api/v1/agencies", params={"q": "เกษตร"})).json()["items"]
    assert [a["code"] for a in found] == ["OAE"]


async def test_register_an_agency_under_its_ministry_and_refuse_bad_input(client, seeded, secretariat, idem, identity):
    created = await client.post("/api/v1/agencies", json=MDES_CHILD, headers=secretariat | idem())
    assert created.status_code == 201 and created.json()["parent_code"] == "MDES"
    children = (await client.get("/api/v1/agencies", params={"parent_code": "MDES"})).json()["items"]
    assert [a["code"] for a in children] == ["DEPA-X"]
    duplicate = await client.post("/api/v1/agencies", json=MDES_CHILD, headers=secretariat | idem())
    assert duplicate.status_code == 409 and duplicate.json()["errors"][0]["field"] == "code"
    orphan = await client.post("/api/v1/agencies", json={**MDES_CHILD, "code": "Y", "parent_code": "NOPE"}, headers=secretariat | idem())
    assert orphan.status_code == 422 and orphan.json()["errors"][0]["field"] == "parent_code"
    assert (await client.post("/api/v1/agencies", json={**MDES_CHILD, "code": "Z"}, headers=identity("agency", agency="MOF") | idem())).status_code == 403
    etag = (await client.get("/api/v1/agencies/MDES")).headers["etag"]
    cycle = await client.patch("/api/v1/agencies/MDES", json={"parent_code": "DEPA-X"}, headers=secretariat | {"If-Match": etag})
    assert cycle.status_code == 422 and cycle.json()["errors"][0]["field"] == "parent_code"
    renamed = await client.patch("/api/v1/agencies/DEPA-X", json={"name": {"th": "หน่วยงานใหม่", "en": "Renamed"}},
                                 headers=secretariat | {"If-Match": (await client.get("/api/v1/agencies/DEPA-X")).headers["etag"]})
    assert renamed.status_code == 200 and renamed.json()["name"]["en"] == "Renamed"


async def test_the_seed_command_is_idempotent(fresh_database_url, settings, capsys):
    url = await fresh_database_url()
    cli_settings = settings.model_copy(update={"database_url": url})
    assert await run_service_command(definition(), cli_settings, "seed", []) == 0
    assert await run_service_command(definition(), cli_settings, "seed", []) == 0
    out = capsys.readouterr().out
    assert "created" in out and "unchanged" in out
    from dgplan_shared.service import build_runtime

    runtime = build_runtime(definition(), cli_settings, bus=InMemoryBus())
    try:
        async with runtime.db.session() as s:
            assert await s.scalar(select(func.count()).select_from(plans)) == 1
        # make run calls the embedded setup at every start: it must leave the data as it is.
        await definition().embedded_setup(runtime)
        async with runtime.db.session() as s:
            assert await s.scalar(select(func.count()).select_from(plans)) == 1
    finally:
        await runtime.db.dispose()


async def test_a_restart_keeps_a_seed_plan_that_has_moved_on(runtime, seeded, client, secretariat, idem):
    from plan_registry.commands import seed as load_seed

    await client.post(f"/api/v1/plans/{seeded['id']}/versions", json={}, headers=secretariat | idem())
    assert await load_seed(runtime) == "kept"
    versions = (await client.get(f"/api/v1/plans/{seeded['id']}/versions", headers=secretariat)).json()["items"]
    assert [v["number"] for v in versions] == [1, 2]
