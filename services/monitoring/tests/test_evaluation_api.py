"""A project's evaluation through the API moves with its reports and its budget execution,
reproducibly as of a date; the active rules are published."""

from datetime import date

import pytest

from monitoring_test_events import feed, posting, project, structure_published

REPORTS = "/api/v1/monitoring/progress-reports"


def evaluation_url(project_id: str = "p1") -> str:
    return f"/api/v1/monitoring/projects/{project_id}/evaluation"


@pytest.fixture
async def p1(runtime, settings):  # type: ignore[no-untyped-def]
    settings.fixed_today = date(2022, 2, 15)
    await feed(runtime, structure_published(), project("p1", lead="MOF", start_fy=2565, end_fy=2565))


async def submit(client, identity, key, **body):  # type: ignore[no-untyped-def]
    response = await client.post(REPORTS, headers={**identity("agency", agency="MOF"), "Idempotency-Key": key},
                                 json={"project_id": "p1", "fiscal_year": 2565, **body})
    assert response.status_code == 201, response.text
    return response.json()


async def status(client, identity, as_of: str) -> dict:  # type: ignore[no-untyped-def]
    response = await client.get(evaluation_url(), params={"as_of": as_of}, headers=identity("secretariat"))
    assert response.status_code == 200, response.text
    return response.json()


async def test_from_not_reporting_to_on_track_to_at_risk_to_completed(client, identity, runtime, p1):
    assert (await status(client, identity, "2022-01-10"))["status"] == "not_reporting"
    await submit(client, identity, "q1", quarter=1, percent_complete="25")
    on_track = await status(client, identity, "2022-01-10")
    assert on_track["status"] == "on_track" and on_track["at_risk"] is False
    assert on_track["latest_report"]["quarter"] == 1
    # Money: allocated, barely disbursed by mid-May: execution lags time elapsed.
    await feed(runtime, posting("allocation", "a1", "p1", "1000000.00"),
               posting("disbursement", "d1", "p1", "150000.00", posted_at="2022-02-01T00:00:00Z"))
    await submit(client, identity, "q2", quarter=2, percent_complete="50")
    risky = await status(client, identity, "2022-04-20")
    budget = next(c for c in risky["checks"] if c["name"] == "budget_execution")
    assert budget["measured"] == "15.00" and budget["expected"] == "55.34"
    assert risky["status"] == "off_track" and risky["at_risk"] is True
    await feed(runtime, posting("disbursement", "d2", "p1", "350000.00", posted_at="2022-04-01T00:00:00Z"))
    assert (await status(client, identity, "2022-04-20"))["status"] == "on_track"
    # Q3 not reported by 30 July + 30 days: not reporting again.
    assert (await status(client, identity, "2022-08-01"))["status"] == "not_reporting"
    await submit(client, identity, "q4", quarter=4, percent_complete="100",
                 milestones=[{"name": {"th": "ส่งมอบ", "en": "Delivered"}, "done": True}])
    assert (await status(client, identity, "2022-09-30"))["status"] == "completed"
    # As of an earlier date the same history still gives the earlier answer.
    assert (await status(client, identity, "2022-01-10"))["status"] == "on_track"


async def test_indicator_actuals_move_the_status(client, identity, p1):
    indicator = (await client.post("/api/v1/monitoring/indicators", headers={
        **identity("secretariat"), "Idempotency-Key": "i"}, json={
        "code": "WAIT-DAYS", "name": {"th": "ระยะเวลารอคอย", "en": "Waiting time"}, "unit": "days",
        "measure_type": "number", "direction": "lower_is_better", "baseline": "30",
        "targets": [{"fiscal_year": 2565, "target": "10"}], "link": {"type": "project", "id": "p1"}})).json()
    await submit(client, identity, "q1", quarter=1, percent_complete="25",
                 actuals=[{"indicator_id": indicator["indicator_id"], "value": "29"}])
    result = await status(client, identity, "2022-01-10")
    check = next(c for c in result["checks"] if c["name"] == "indicator:WAIT-DAYS")
    assert (check["measured"], check["expected"], check["status"]) == ("5.00", "25.00", "at_risk")
    assert result["status"] == "at_risk"


async def test_evaluation_visibility_and_errors(client, identity, p1):
    url = evaluation_url()
    assert (await client.get(url, headers=identity("agency", agency="MOF"))).status_code == 200
    assert (await client.get(url, headers=identity("agency", agency="DGA"))).status_code == 403
    assert (await client.get(url)).status_code == 401
    assert (await client.get(evaluation_url("ghost"), headers=identity("secretariat"))).status_code == 404
    bad = await client.get(url, params={"as_of": "yesterday"}, headers=identity("secretariat"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "as_of"
    default = (await client.get(url, headers=identity("secretariat"))).json()
    assert default["as_of"] == "2022-02-15"  # the configured "today"


async def test_the_active_rules_are_documented(client, settings):
    settings.progress_at_risk_lag = 12.5
    rules = (await client.get("/api/v1/monitoring/evaluation-rules")).json()
    assert rules["thresholds"]["progress_at_risk_lag"] == 12.5
    assert rules["thresholds"]["execution_off_track_lag"] == 40
    assert set(rules["statuses"]) == {"on_track", "at_risk", "off_track", "completed", "not_reporting"}
    assert "not_reporting" in rules["description"]


async def test_a_changed_threshold_changes_the_status(client, identity, settings, p1):
    await submit(client, identity, "q1", quarter=1, percent_complete="14")
    assert (await status(client, identity, "2022-01-10"))["status"] == "at_risk"
    settings.progress_at_risk_lag = 12
    assert (await status(client, identity, "2022-01-10"))["status"] == "on_track"
