"""Projects: agencies register and change their own, everyone searches in Thai or English."""

import pytest

from registry_test_helpers import outbox_events, validate_event


@pytest.fixture
async def draft_v2(client, seeded, secretariat, idem):  # type: ignore[no-untyped-def]
    v2 = (await client.post(f"/api/v1/plans/{seeded['id']}/versions", json={}, headers=secretariat | idem())).json()
    page = (await client.get(f"/api/v1/plans/{seeded['id']}/versions/{v2['id']}/nodes", params={"limit": 200}, headers=secretariat)).json()
    return v2, {n["code"]: n for n in page["items"]}


def _project(plan_id, parent, code="S1-P9", **extra):  # type: ignore[no-untyped-def]
    return {"plan_id": plan_id, "parent_id": parent, "code": code,
            "name": {"th": "ระบบบัญชีเกษตรกรรายแปลง", "en": "Per-plot farmer registry"}, **extra}


async def test_public_finds_the_farmers_database_by_a_thai_substring(client, seeded):
    found = (await client.get("/api/v1/projects", params={"q": "เกษตรกร"})).json()["items"]
    assert [p["name"]["en"] for p in found] == ["A farmers' database system"]
    english = (await client.get("/api/v1/projects", params={"q": "FARMERS"})).json()["items"]
    assert [p["code"] for p in english] == ["S1-P4"]
    by_strategy = (await client.get("/api/v1/projects", params={"strategy": "S2"})).json()["items"]
    assert [p["code"] for p in by_strategy] == ["S2-P1", "S2-P2"]
    everything = (await client.get("/api/v1/projects", params={"limit": 3})).json()
    codes = [p["code"] for p in everything["items"]]
    while everything["next_cursor"]:
        everything = (await client.get("/api/v1/projects", params={"limit": 3, "cursor": everything["next_cursor"]})).json()
        codes += [p["code"] for p in everything["items"]]
    assert codes == sorted(codes) and len(codes) == 10
    backwards = (await client.get("/api/v1/projects", params={"sort": "-code", "limit": 4})).json()
    after = (await client.get("/api/v1/projects", params={"sort": "-code", "limit": 4, "cursor": backwards["next_cursor"]})).json()
    assert [p["code"] for p in backwards["items"] + after["items"]] == sorted(codes, reverse=True)[:8]
    assert (await client.get("/api/v1/projects", params={"sort": "budget"})).status_code == 422


async def test_an_agency_registers_a_project_it_leads_and_events_carry_a_full_snapshot(client, seeded, draft_v2, identity, idem, db):
    v2, nodes = draft_v2
    oae = identity("agency", agency="OAE", subject="oae-system")
    body = _project(seeded["id"], nodes["S1-M1"]["id"], roles=[{"agency": "OAE", "role": "lead"}, {"agency": "MOF", "role": "supporting"}],
                    start_fy=2564, end_fy=2565, status="planned", focus_area_ids=[nodes["FA3"]["id"]], target_ids=[nodes["T1"]["id"]])
    response = await client.post("/api/v1/projects", json=body, headers=oae | idem())
    assert response.status_code == 201, response.text
    project = response.json()
    event = (await outbox_events(db, "dgplan.plan-registry.project.registered.v1"))[-1]
    validate_event(event)
    assert event["data"]["project_id"] == project["id"] and event["data"]["lead_agency"] == "OAE"
    assert event["data"]["strategy_id"] == nodes["S1"]["id"] and event["data"]["measure_id"] == nodes["S1-M1"]["id"]
    assert event["data"]["work_plan_id"] is None and event["data"]["target_ids"] == [nodes["T1"]["id"]]
    # the draft it was proposed in, not the approved version: consumers must not publish it yet
    assert event["data"]["version_id"] == v2["id"] != seeded["approved_version_id"]

    for params, expected in (
        ({"agency": "OAE"}, ["S1-P9"]), ({"agency": "MOF", "role": "supporting"}, ["S1-P9"]),
        ({"agency": "MOF", "role": "lead"}, []), ({"focus_area": "FA3"}, ["S1-P9"]), ({"status": "planned"}, ["S1-P9"]),
        ({"fiscal_year": 2565}, ["S1-P9"]), ({"fiscal_year": 2563}, []), ({"q": "รายแปลง"}, ["S1-P9"]),
    ):
        page = (await client.get("/api/v1/projects", params={**params, "version": "latest"}, headers=identity("secretariat"))).json()
        assert [p["code"] for p in page["items"]] == expected, params

    read = await client.get(f"/api/v1/projects/{project['id']}", headers=oae)
    changed = await client.patch(f"/api/v1/projects/{project['id']}", json={"status": "in_progress"}, headers=oae | {"If-Match": read.headers["etag"]})
    assert changed.status_code == 200 and changed.json()["status"] == "in_progress"
    event = (await outbox_events(db, "dgplan.plan-registry.project.changed.v1"))[-1]
    validate_event(event)
    assert event["data"]["status"] == "in_progress" and event["data"]["agencies"] == [
        {"agency": "OAE", "role": "lead"}, {"agency": "MOF", "role": "supporting"}]
    stale = await client.patch(f"/api/v1/projects/{project['id']}", json={"status": "completed"}, headers=oae | {"If-Match": read.headers["etag"]})
    assert stale.status_code == 412


async def test_agencies_act_only_on_projects_they_lead(client, seeded, draft_v2, identity, idem):
    v2, nodes = draft_v2
    dga = identity("agency", agency="DGA")
    not_lead = await client.post("/api/v1/projects", json=_project(seeded["id"], nodes["S1"]["id"], roles=[{"agency": "OAE", "role": "lead"}]), headers=dga | idem())
    assert not_lead.status_code == 403
    mine = await client.post("/api/v1/projects", json=_project(seeded["id"], nodes["S1"]["id"], roles=[{"agency": "DGA", "role": "lead"}]), headers=dga | idem())
    assert mine.status_code == 201
    oae = identity("agency", agency="OAE")
    etag = (await client.get(f"/api/v1/projects/{mine.json()['id']}", headers=identity("secretariat"))).headers["etag"]
    theirs = await client.patch(f"/api/v1/projects/{mine.json()['id']}", json={"status": "planned"}, headers=oae | {"If-Match": etag})
    assert theirs.status_code == 404  # a draft project of another agency is not even visible to it
    give_away = await client.patch(f"/api/v1/projects/{mine.json()['id']}", json={"roles": [{"agency": "OAE", "role": "lead"}]}, headers=dga | {"If-Match": etag})
    assert give_away.status_code == 403
    anonymous = await client.post("/api/v1/projects", json=_project(seeded["id"], nodes["S1"]["id"]), headers=idem())
    assert anonymous.status_code == 401
    # Work plans are not projects: the agency cannot add one.
    plan_node = await client.post(f"/api/v1/plans/{seeded['id']}/versions/{v2['id']}/nodes",
                                  json={"node_type": "work_plan", "code": "W", "parent_id": nodes["S1-M1"]["id"], "name": {"th": "ก", "en": "x"}},
                                  headers=dga | idem())
    assert plan_node.status_code == 403


async def test_registering_into_a_frozen_plan_or_under_the_wrong_parent_is_refused(client, seeded, secretariat, idem):
    page = (await client.get(f"/api/v1/plans/{seeded['id']}/versions/{seeded['approved_version_id']}/nodes", params={"node_type": "target"})).json()
    frozen = await client.post("/api/v1/projects", json=_project(seeded["id"], page["items"][0]["id"]), headers=secretariat | idem())
    assert frozen.status_code == 409 and frozen.json()["type"].endswith("version-frozen")


async def test_wrong_parent_and_bad_links_name_the_field(client, seeded, draft_v2, secretariat, idem):
    _, nodes = draft_v2
    under_target = await client.post("/api/v1/projects", json=_project(seeded["id"], nodes["T1"]["id"]), headers=secretariat | idem())
    assert under_target.status_code == 422 and under_target.json()["errors"][0]["field"] == "parent_id"
    bad_link = await client.post("/api/v1/projects", json=_project(seeded["id"], nodes["S1"]["id"], target_ids=[nodes["FA1"]["id"]]), headers=secretariat | idem())
    assert bad_link.status_code == 422 and bad_link.json()["errors"][0]["field"] == "target_ids[0]"
    duplicate = await client.post("/api/v1/projects", json=_project(seeded["id"], nodes["S1"]["id"], code="S1-P1"), headers=secretariat | idem())
    assert duplicate.status_code == 409 and duplicate.json()["errors"][0]["field"] == "code"
    bad_status = await client.post("/api/v1/projects", json=_project(seeded["id"], nodes["S1"]["id"], status="done"), headers=secretariat | idem())
    assert bad_status.status_code == 422 and bad_status.json()["errors"][0]["field"] == "status"


def test_the_documented_choices_are_the_ones_the_lists_accept():
    """Sorts and roles are enums in the OpenAPI document; they must not drift from what the code accepts."""
    from typing import get_args

    from plan_registry.api.deps import NodeSort, PlanSort, RoleFilter
    from plan_registry.domain.hierarchy import ROLES
    from plan_registry.adapters.node_repository import RELEVANCE, SORTS

    def choices(annotation) -> set[str]:  # type: ignore[no-untyped-def]
        literal = get_args(annotation)[0]
        literal = next((a for a in get_args(literal) if get_args(a)), literal)  # unwrap ``X | None``
        return set(get_args(literal))

    assert choices(NodeSort) == {s for k in SORTS for s in (k, f"-{k}")} | {RELEVANCE}
    assert choices(RoleFilter) == set(ROLES)
    assert choices(PlanSort) == {"code", "-code", "start_fy", "-start_fy"}


async def test_a_page_across_plans_is_each_plans_projects_merged_in_order(client, seeded, draft_v2, secretariat, idem):
    """Two plans' latest versions: every page of GET /projects, forwards and backwards, is the one
    list of both plans' projects in code order (ties by version, then id), whatever the page size."""
    v2, nodes = draft_v2
    plan = (await client.post("/api/v1/plans", json={"code": "DGDP-2566-2570", "title": {"th": "แผนถัดไป", "en": "Next plan"},
                                                      "start_fy": 2566, "end_fy": 2570}, headers=secretariat | idem())).json()
    next_nodes = f"/api/v1/plans/{plan['id']}/versions/{plan['latest_version_id']}/nodes"
    strategy = (await client.post(next_nodes, json={"node_type": "strategy", "code": "S1", "name": {"th": "ยุทธศาสตร์", "en": "Strategy"}},
                                  headers=secretariat | idem())).json()
    for code in ("S1-P4", "S1-P0", "S9-P1", "A0-P1"):  # one code the seed plan also uses: a tie across plans
        answer = await client.post("/api/v1/projects", json=_project(plan["id"], strategy["id"], code), headers=secretariat | idem())
        assert answer.status_code == 201, answer.text
    answer = await client.post("/api/v1/projects", json=_project(seeded["id"], nodes["S1"]["id"], "B0-P1"), headers=secretariat | idem())
    assert answer.status_code == 201, answer.text

    async def walk(sort: str, limit: int) -> list[tuple[str, str]]:
        seen, cursor = [], None
        while True:
            params = {"version": "latest", "sort": sort, "limit": limit, **({"cursor": cursor} if cursor else {})}
            page = (await client.get("/api/v1/projects", params=params, headers=secretariat)).json()
            seen += [(p["code"], p["version_id"], p["id"]) for p in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                return seen

    everything = await walk("code", 200)
    assert len(everything) == 10 + 1 + 4 and {v for _, v, _ in everything} == {v2["id"], plan["latest_version_id"]}
    assert everything == sorted(everything)
    assert [c for c, _, _ in everything].count("S1-P4") == 2
    backwards = await walk("-code", 200)
    for limit in (1, 2, 3, 7):
        assert await walk("code", limit) == everything, limit
        assert await walk("-code", limit) == backwards, limit
    assert [c for c, _, _ in backwards] == sorted((c for c, _, _ in everything), reverse=True)
    assert sorted(backwards) == everything
