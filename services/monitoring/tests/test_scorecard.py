"""The seeded plan's scorecard for fiscal year 2565, mid-year and year-end reports, budget
execution by strategy, agency and fiscal year; JSON and CSV; public only once approved."""

import csv
import io
from datetime import date

import pytest

from monitoring_test_events import (
    EXAMPLE_PROJECTS,
    PLAN_ID,
    feed,
    plan_drafted,
    posting,
    project,
    seed_plan_events,
    structure_published,
)

SCORECARD = f"/api/v1/monitoring/plans/{PLAN_ID}/scorecard"


@pytest.fixture
async def seeded(runtime, settings):  # type: ignore[no-untyped-def]
    settings.fixed_today = date(2022, 5, 15)
    await feed(runtime, *seed_plan_events())


async def test_seeded_plan_scorecard_for_fiscal_year_2565(client, seeded):
    response = await client.get(SCORECARD, params={"fiscal_year": 2565})  # public: the plan is approved
    assert response.status_code == 200, response.text
    card = response.json()
    assert card["plan"]["code"] == "DGDP-2563-2565" and card["plan"]["approved"] is True
    assert card["plan"]["title"]["th"] == "แผนพัฒนารัฐบาลดิจิทัลของประเทศไทย พ.ศ. 2563 - 2565"
    assert card["fiscal_year_range"] == {"start": "2021-10-01", "end": "2022-09-30"}
    assert card["as_of"] == "2022-05-15" and card["quarter"] == 3
    assert card["status"] == "not_reporting"
    assert [s["code"] for s in card["strategies"]] == ["S1", "S2", "S3", "S4"]
    assert [s["budget"]["framework"] for s in card["strategies"]] == [
        "4879870000.00", "518460000.00", "946360000.00", "160000000.00"]
    assert card["budget"]["framework"] == "6504690000.00"
    assert [s["completeness"]["declared_projects"] for s in card["strategies"]] == [17, 8, 11, 5]
    assert [s["completeness"]["registered_projects"] for s in card["strategies"]] == [4, 2, 2, 2]
    assert card["completeness"] == {
        "declared_projects": 41,
        "registered_projects": 10,
        "unregistered_projects": 31,
        "reporting_projects": 0,
        "not_reporting_projects": sorted(code for code, *_ in EXAMPLE_PROJECTS),
        "not_reported_this_quarter": sorted(code for code, *_ in EXAMPLE_PROJECTS),
    }
    assert {p["status"] for p in card["projects"]} == {"not_reporting"}
    assert len(card["targets"]) == 4 and card["targets"][0]["project_count"] == 4
    assert card["project_count"] == 10


async def test_reports_and_money_change_the_scorecard(client, identity, runtime, seeded):
    await feed(runtime,
               posting("allocation", "a1", "P-S1-01", "100000000.00"),
               posting("disbursement", "d1", "P-S1-01", "60000000.00", posted_at="2022-04-01T00:00:00Z"),
               posting("allocation", "a2", "P-S3-01", "50000000.00", strategy="S3", agency="MDES"),
               posting("allocation", "a0", "P-S1-01", "7000000.00", fiscal_year=2564))
    for quarter, pct in ((1, "70"), (2, "80")):
        response = await client.post("/api/v1/monitoring/progress-reports", headers={
            **identity("agency", agency="MOF"), "Idempotency-Key": f"k{quarter}"}, json={
            "project_id": "P-S1-01", "fiscal_year": 2565, "quarter": quarter, "percent_complete": pct})
        assert response.status_code == 201, response.text
    card = (await client.get(SCORECARD, params={"fiscal_year": 2565})).json()
    p = next(x for x in card["projects"] if x["code"] == "P-S1-01")
    assert (p["status"], p["percent_complete"], p["latest_quarter"]) == ("on_track", "80.00", "FY2565-Q2")
    assert p["budget"] == {"allocated": "100000000.00", "committed": "0.00", "disbursed": "60000000.00",
                           "execution_rate": "60.00"}
    s1 = card["strategies"][0]
    assert s1["by_status"]["on_track"] == 1 and s1["status"] == "at_risk"  # 3 of 4 silent
    assert card["completeness"]["reporting_projects"] == 1
    assert "P-S1-01" not in card["completeness"]["not_reporting_projects"]
    assert "P-S1-01" in card["completeness"]["not_reported_this_quarter"]  # Q3 (May) not reported yet
    assert p["reported_this_quarter"] is False
    assert card["budget"]["allocated"] == "150000000.00" and card["budget"]["execution_rate"] == "40.00"

    by_strategy = (await client.get("/api/v1/monitoring/budget-execution",
                                    params={"plan_id": PLAN_ID, "fiscal_year": 2565})).json()
    assert [(r["code"], r["allocated"], r["execution_rate"]) for r in by_strategy["rows"]] == [
        ("S1", "100000000.00", "60.00"), ("S2", "0.00", None), ("S3", "50000000.00", "0.00"), ("S4", "0.00", None)]
    by_agency = (await client.get("/api/v1/monitoring/budget-execution",
                                  params={"plan_id": PLAN_ID, "fiscal_year": 2565, "group_by": "agency"})).json()
    assert [(r["agency"], r["disbursed"]) for r in by_agency["rows"]] == [("MDES", "0.00"), ("MOF", "60000000.00")]
    by_year = (await client.get("/api/v1/monitoring/budget-execution",
                                params={"plan_id": PLAN_ID, "group_by": "fiscal_year"})).json()
    assert [(r["fiscal_year"], r["allocated"]) for r in by_year["rows"]] == [
        (2564, "7000000.00"), (2565, "150000000.00")]
    assert by_year["total"]["allocated"] == "157000000.00"
    as_csv = await client.get("/api/v1/monitoring/budget-execution",
                              params={"plan_id": PLAN_ID, "fiscal_year": 2565, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert rows[0]["code"] == "S1" and rows[0]["title_th"].startswith("ยกระดับ")

    mid = (await client.get("/api/v1/monitoring/reports/mid-year", params={"fiscal_year": 2565})).json()
    assert mid["report"] == "mid-year" and mid["as_of"] == "2022-03-31"
    assert mid["budget_execution"]["by_strategy"][0]["code"] == "S1"
    year_end = (await client.get("/api/v1/monitoring/reports/year-end", params={"fiscal_year": 2565})).json()
    assert year_end["as_of"] == "2022-09-30"
    # By year end Q3 went unreported: P-S1-01 is no longer counted as reporting.
    assert next(x for x in year_end["projects"] if x["code"] == "P-S1-01")["status"] == "not_reporting"


async def test_scorecard_and_reports_as_csv_keep_thai(client, seeded):
    response = await client.get(SCORECARD, params={"fiscal_year": 2565, "format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["level"] for r in rows][:5] == ["plan", "strategy", "strategy", "strategy", "strategy"]
    assert rows[0]["framework"] == "6504690000.00" and rows[0]["declared_projects"] == "41"
    assert sum(r["level"] == "project" for r in rows) == 10
    assert any(r["title_th"] == "ระบบฐานข้อมูลเกษตรกร" for r in rows)
    year_end = await client.get("/api/v1/monitoring/reports/year-end", params={"fiscal_year": 2565, "format": "csv"})
    assert year_end.status_code == 200 and "attachment" in year_end.headers["content-disposition"]


async def test_draft_plans_are_not_public(client, identity, runtime, settings):
    settings.fixed_today = date(2026, 1, 1)
    await feed(runtime, plan_drafted("draft"), structure_published("draft", start_fy=2569, end_fy=2573),
               project("d1", plan_id="draft", start_fy=2569, end_fy=2570))
    url = "/api/v1/monitoring/plans/draft/scorecard"
    assert (await client.get(url, params={"fiscal_year": 2569})).status_code == 401
    assert (await client.get(url, params={"fiscal_year": 2569}, headers=identity("public"))).status_code == 401
    ok = await client.get(url, params={"fiscal_year": 2569}, headers=identity("body_member", bodies=["nesdc"]))
    assert ok.status_code == 200 and ok.json()["plan"]["approved"] is False
    assert (await client.get("/api/v1/monitoring/budget-execution")).status_code == 401


@pytest.mark.parametrize(
    ("url", "params", "status"),
    [
        (SCORECARD, {"fiscal_year": 2570}, 422),  # outside the plan
        (SCORECARD, {"fiscal_year": 2565, "as_of": "2023-01-01"}, 422),  # outside the fiscal year
        (SCORECARD, {}, 422),
        (SCORECARD, {"fiscal_year": 2565, "format": "xml"}, 422),
        ("/api/v1/monitoring/plans/ghost/scorecard", {"fiscal_year": 2565}, 404),
        ("/api/v1/monitoring/reports/mid-year", {"fiscal_year": 2599}, 404),
        ("/api/v1/monitoring/budget-execution", {"group_by": "colour", "plan_id": PLAN_ID}, 422),
    ],
)
async def test_bad_report_requests(client, seeded, url, params, status):
    response = await client.get(url, params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
