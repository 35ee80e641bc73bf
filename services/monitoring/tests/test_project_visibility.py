"""A project an agency proposes in an unapproved draft stays out of the public and cross-agency
views (scorecard, mid-year and year-end reports, indicators) until a version holding it is
approved, as the registry hides it; oversight sees it, flagged as not in the approved version."""

from datetime import date

import pytest

from monitoring_test_events import EXAMPLE_PROJECTS, PLAN_ID, feed, project, seed_plan_events, version_approved

SCORECARD = f"/api/v1/monitoring/plans/{PLAN_ID}/scorecard"
REPORTS = ("/api/v1/monitoring/reports/mid-year", "/api/v1/monitoring/reports/year-end")
INDICATORS = "/api/v1/monitoring/indicators"
PROPOSED = "P-DRAFT-MOF"  # proposed by MOF in the draft after the approved version
APPROVED = tuple(code for code, *_ in EXAMPLE_PROJECTS)


@pytest.fixture
async def proposal(client, identity, runtime, settings):  # type: ignore[no-untyped-def]
    """The seeded plan (approved) plus MOF's proposal in a draft, with a progress report and an
    indicator of its own."""
    settings.fixed_today = date(2022, 5, 15)
    await feed(runtime, *seed_plan_events(), project(PROPOSED, lead="MOF", th="โครงการที่เสนอในร่าง",
                                                                 version_id="v2"))
    reported = await client.post("/api/v1/monitoring/progress-reports", json={
        "project_id": PROPOSED, "fiscal_year": 2565, "quarter": 1, "percent_complete": "25.00"},
        headers={**identity("agency", agency="MOF"), "Idempotency-Key": "draft-report"})
    assert reported.status_code == 201, reported.text
    created = await client.post(INDICATORS, json={
        "code": "KPI-DRAFT", "name": {"th": "ตัวชี้วัดของโครงการในร่าง", "en": "Draft project KPI"},
        "unit": "percent", "measure_type": "percent", "link": {"type": "project", "id": PROPOSED}},
        headers={**identity("secretariat"), "Idempotency-Key": "draft-kpi"})
    assert created.status_code == 201, created.text
    return created.json()["indicator_id"]


def _codes(card: dict) -> set[str]:
    return {p["code"] for p in card["projects"]}


# The services answer only callers the gateway signed; an anonymous caller comes as "public".
@pytest.mark.parametrize("caller", [("public",), ("agency", "OPDC"), ("agency", "MOF")])
async def test_the_public_and_agencies_see_only_the_approved_versions_projects(client, identity, proposal, caller):
    headers = identity(caller[0], agency=caller[1] if len(caller) > 1 else None)
    for url in (SCORECARD, *REPORTS):
        response = await client.get(url, params={"fiscal_year": 2565}, headers=headers)
        assert response.status_code == 200, response.text
        card = response.json()
        assert card["version"] == "approved"
        assert _codes(card) == set(APPROVED) and PROPOSED not in response.text
        assert all(p["in_approved_version"] for p in card["projects"])
        # every roll-up counts the approved projects only
        assert card["completeness"]["registered_projects"] == len(APPROVED)
        csv_text = (await client.get(url, params={"fiscal_year": 2565, "format": "csv"}, headers=headers)).text
        assert PROPOSED not in csv_text and "โครงการที่เสนอในร่าง" not in csv_text
    # the proposal's indicator is MOF's business (and oversight's) only
    listed = {i["code"] for i in (await client.get(INDICATORS, headers=headers)).json()["items"]}
    assert ("KPI-DRAFT" in listed) is (caller == ("agency", "MOF"))


async def test_an_agency_asking_for_the_latest_adds_only_its_own_proposals(client, identity, proposal):
    mof = (await client.get(SCORECARD, params={"fiscal_year": 2565, "version": "latest"},
                            headers=identity("agency", agency="MOF"))).json()
    assert mof["version"] == "latest" and _codes(mof) == {*APPROVED, PROPOSED}
    mine = next(p for p in mof["projects"] if p["code"] == PROPOSED)
    assert mine["in_approved_version"] is False and mine["percent_complete"] == "25.00"
    opdc = await client.get(SCORECARD, params={"fiscal_year": 2565, "version": "latest"},
                            headers=identity("agency", agency="OPDC"))
    assert _codes(opdc.json()) == set(APPROVED) and PROPOSED not in opdc.text
    # anonymous callers cannot widen the view: they get the approved version
    anonymous = await client.get(SCORECARD, params={"fiscal_year": 2565, "version": "latest"},
                                 headers=identity("public"))
    assert anonymous.json()["version"] == "approved" and PROPOSED not in anonymous.text


async def test_oversight_sees_proposals_flagged_and_may_ask_for_the_approved_view(client, identity, proposal):
    for role, extra in (("secretariat", {}), ("body_member", {"bodies": ["digital-government-committee"]})):
        card = (await client.get(SCORECARD, params={"fiscal_year": 2565}, headers=identity(role, **extra))).json()
        assert card["version"] == "latest" and _codes(card) == {*APPROVED, PROPOSED}
        flags = {p["code"]: p["in_approved_version"] for p in card["projects"]}
        assert flags[PROPOSED] is False and all(flags[c] for c in APPROVED)
    official = (await client.get(REPORTS[0], params={"fiscal_year": 2565, "version": "approved"},
                                 headers=identity("secretariat"))).json()
    assert official["version"] == "approved" and _codes(official) == set(APPROVED)
    wrong = await client.get(SCORECARD, params={"fiscal_year": 2565, "version": "draft"}, headers=identity("public"))
    assert wrong.status_code == 422 and "version" in wrong.text


async def test_an_indicator_of_a_hidden_proposal_is_not_found_by_others(client, identity, proposal):
    indicator = f"{INDICATORS}/{proposal}"
    for headers in (identity("public"), identity("agency", agency="OPDC")):
        for url in (indicator, f"{indicator}/actuals"):
            hidden = await client.get(url, headers=headers)
            assert hidden.status_code == 404, hidden.text
            assert hidden.headers["content-type"].startswith("application/problem+json")
            assert PROPOSED not in hidden.text
    for headers in (identity("agency", agency="MOF"), identity("secretariat")):
        shown = await client.get(indicator, headers=headers)
        assert shown.status_code == 200 and shown.json()["link"] == {"type": "project", "id": PROPOSED}
        assert "KPI-DRAFT" in {i["code"] for i in (await client.get(INDICATORS, headers=headers)).json()["items"]}


async def test_approval_publishes_the_proposal_and_a_later_approval_can_drop_a_project(
    client, identity, runtime, proposal,
):
    await feed(runtime, version_approved(version_id="v2", number=2, project_ids=(*APPROVED, PROPOSED)))
    public = identity("public")
    card = (await client.get(SCORECARD, params={"fiscal_year": 2565}, headers=public)).json()
    assert _codes(card) == {*APPROVED, PROPOSED}
    assert next(p for p in card["projects"] if p["code"] == PROPOSED)["percent_complete"] == "25.00"
    assert (await client.get(f"{INDICATORS}/{proposal}", headers=public)).status_code == 200

    dropped = APPROVED[0]
    await feed(runtime, version_approved(version_id="v3", number=3,
                                         project_ids=tuple(c for c in (*APPROVED, PROPOSED) if c != dropped)))
    card = (await client.get(SCORECARD, params={"fiscal_year": 2565}, headers=public)).json()
    assert dropped not in _codes(card) and card["completeness"]["registered_projects"] == len(APPROVED)
