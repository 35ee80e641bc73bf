"""An approved project keeps its approved wording on the public and cross-agency views while a
later draft changes it (issue 16, item 16): monitoring keeps a snapshot per plan version, shows
the public the approved version's, and oversight asking for ``latest`` the draft's."""

import pytest

from monitoring_test_events import (
    PLAN_ID,
    feed,
    plan_drafted,
    project,
    rebuild_read_models,
    snapshot,
    structure_published,
    version_approved,
)

SCORECARD = f"/api/v1/monitoring/plans/{PLAN_ID}/scorecard"
MID_YEAR = "/api/v1/monitoring/reports/mid-year"
TITLE_A = "ระบบบริการประชาชน (ฉบับอนุมัติ)"
TITLE_B = "ระบบบริการประชาชน (ร่างแก้ไข)"


def approved_v1(order: str) -> list:  # type: ignore[type-arg]
    registered = project("P1", lead="MOF", th=TITLE_A, en="Citizen services (approved)", version_id="v1")
    approval = version_approved(version_id="v1", project_ids=("P1",))
    # Plan and project events travel on different topics: either may arrive first.
    return [plan_drafted(), structure_published(), *((registered, approval) if order == "project-first"
                                                     else (approval, registered))]


def draft_v2_edit() -> object:
    return project("P1", lead="MOF", th=TITLE_B, en="Citizen services (draft)", strategy="S2", changed=True,
                   version_id="v2")


async def card(client, headers, **params):  # type: ignore[no-untyped-def]
    response = await client.get(SCORECARD, params={"fiscal_year": 2565, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def p1(view: dict) -> dict:
    (only,) = [p for p in view["projects"] if p["project_id"] == "P1"]
    return only


def strategy_counts(view: dict) -> dict[str, int]:
    return {s["code"]: s["project_count"] for s in view["strategies"]}


@pytest.mark.parametrize("order", ["project-first", "approval-first"])
async def test_the_public_scorecard_shows_the_approved_title_until_the_draft_is_approved(
    client, identity, runtime, db, order,
):
    await feed(runtime, *approved_v1(order), draft_v2_edit())
    public, opdc = identity("public"), identity("agency", agency="OPDC")

    for headers in (public, opdc):
        shown = await card(client, headers)
        assert p1(shown)["title"]["th"] == TITLE_A
        assert p1(shown)["strategy_id"] == f"{PLAN_ID}-S1" and strategy_counts(shown)["S2"] == 0
        csv_text = (await client.get(SCORECARD, params={"fiscal_year": 2565, "format": "csv"}, headers=headers)).text
        assert TITLE_A in csv_text and TITLE_B not in csv_text
        report = (await client.get(MID_YEAR, params={"fiscal_year": 2565}, headers=headers)).text
        assert TITLE_A in report and TITLE_B not in report
    # oversight's latest (its default) is the draft's; asked for the approved view, the approved one
    assert p1(await card(client, identity("secretariat")))["title"]["th"] == TITLE_B
    assert p1(await card(client, identity("secretariat"), version="approved"))["title"]["th"] == TITLE_A
    # the lead agency asking for the latest sees its own draft
    assert p1(await card(client, identity("agency", agency="MOF"), version="latest"))["title"]["th"] == TITLE_B

    live = await snapshot(db)
    await rebuild_read_models(db)
    assert await snapshot(db) == live
    assert p1(await card(client, public))["title"]["th"] == TITLE_A

    await feed(runtime, version_approved(version_id="v2", number=2, project_ids=("P1",)))
    approved = await card(client, public)
    assert p1(approved)["title"]["th"] == TITLE_B and strategy_counts(approved)["S2"] == 1
    live = await snapshot(db)
    await rebuild_read_models(db)
    assert await snapshot(db) == live
    assert p1(await card(client, public))["title"]["th"] == TITLE_B


async def test_a_project_a_version_left_unchanged_keeps_its_approved_wording(client, identity, runtime):
    await feed(
        runtime, *approved_v1("project-first"),
        project("P2", lead="DGA", th="โครงการสอง", version_id="v1"),
        version_approved(version_id="v1", project_ids=("P1", "P2")),
        draft_v2_edit(),
        # a v3 draft edits P2 and its event arrives before v2's approval
        project("P2", lead="DGA", th="โครงการสอง (ร่าง v3)", changed=True, version_id="v3"),
        version_approved(version_id="v2", number=2, project_ids=("P1", "P2")),
    )
    shown = {p["project_id"]: p["title"]["th"] for p in (await card(client, identity("public")))["projects"]}
    assert shown == {"P1": TITLE_B, "P2": "โครงการสอง"}
    await feed(runtime, version_approved(version_id="v3", number=3, project_ids=("P1", "P2")))
    shown = {p["project_id"]: p["title"]["th"] for p in (await card(client, identity("public")))["projects"]}
    assert shown == {"P1": TITLE_B, "P2": "โครงการสอง (ร่าง v3)"}


async def test_events_that_name_no_version_are_shown_as_before(client, identity, runtime):
    await feed(runtime, plan_drafted(), structure_published(), version_approved(project_ids=("P1",)),
               project("P1", th=TITLE_A, version_id=None), project("P1", th=TITLE_B, changed=True, version_id=None))
    assert p1(await card(client, identity("public")))["title"]["th"] == TITLE_B
