"""Issue 16 item 9: ``make run``'s demo layer lets agencies act on the seed plan; the seed's facts stay."""

from plan_registry.application.demo_layer import apply_demo_layer, demo_assignments
from plan_registry.commands import seed as load_seed
from plan_registry.definition import definition
from registry_test_helpers import outbox_events, validate_event

CHANGED = "dgplan.plan-registry.project.changed.v1"


async def _projects(client, **params):  # type: ignore[no-untyped-def]
    return (await client.get("/api/v1/projects", params={"limit": 50, **params})).json()["items"]


async def test_the_seed_alone_names_no_lead(client, seeded):
    assert all(not any(r["role"] == "lead" for r in p["roles"]) for p in await _projects(client))


async def test_make_run_assigns_demo_leads_so_that_mof_and_opdc_can_act(client, runtime, db, secretariat, identity, idem):
    await definition().embedded_setup(runtime)  # what `make run` does: seed, then the demo layer
    projects = await _projects(client)
    assert len(projects) == 10
    for project in projects:
        leads = [r for r in project["roles"] if r["role"] == "lead"]
        assert len(leads) == 1 and leads[0]["demo"] is True, project["code"]
        assert any(r["role"] == "supporting" and r["demo"] is True for r in project["roles"])
    for agency in ("MOF", "OPDC"):
        led = await _projects(client, agency=agency, role="lead")
        assert led, agency
        # What lets the agency request budget (ledger) and report progress (monitoring): the
        # project's announced lead.
        announced = {e["data"]["project_id"]: e["data"]["lead_agency"] for e in await outbox_events(db, CHANGED)}
        assert all(announced[p["id"]] == agency for p in led)
    for event in await outbox_events(db, CHANGED):
        validate_event(event)
    # An agency acts on the project it leads: it may change it once a draft exists.
    plan_id = projects[0]["plan_id"]
    await client.post(f"/api/v1/plans/{plan_id}/versions", json={}, headers=secretariat | idem())
    mof = identity("agency", agency="MOF", subject="mof-system")
    mine = (await client.get("/api/v1/projects", params={"agency": "MOF", "role": "lead", "version": "latest"}, headers=mof)).json()["items"]
    assert mine and all(any(r == {"agency": "MOF", "role": "lead", "demo": True} for r in p["roles"]) for p in mine)
    read = await client.get(f"/api/v1/projects/{mine[0]['id']}", headers=mof)
    changed = await client.patch(f"/api/v1/projects/{mine[0]['id']}", json={"status": "in_progress"},
                                 headers=mof | {"If-Match": read.headers["etag"]})
    assert changed.status_code == 200, changed.text


async def test_the_demo_layer_keeps_the_seeds_facts_and_is_idempotent(client, runtime, db, secretariat):
    await definition().embedded_setup(runtime)
    events = len(await outbox_events(db))
    await definition().embedded_setup(runtime)
    assert len(await outbox_events(db)) == events  # nothing added or announced twice
    async with runtime.uow() as uow:
        assert await apply_demo_layer(uow) == 0
    # The plan document (export, open data, the seed comparison) holds the plan's roles only.
    assert await load_seed(runtime) == "unchanged"
    plan_id = (await _projects(client))[0]["plan_id"]
    exported = (await client.get(f"/api/v1/plans/{plan_id}/export", headers=secretariat)).json()
    roles = [r for v in exported["versions"] for n in v["nodes"] for r in n["roles"]]
    assert roles and all(r["role"] == "responsible" and "demo" not in r for r in roles)


def test_the_demo_file_says_it_is_demo_and_uses_each_strategys_agencies():
    document = demo_assignments()
    assert document["demo"] is True and "DEMO" in document["description"]
    leads = {a["lead"] for a in document["assignments"]}
    assert {"MOF", "OPDC"} <= leads
    assert len(document["assignments"]) == 10
