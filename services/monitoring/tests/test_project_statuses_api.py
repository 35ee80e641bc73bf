"""The committee's view: every project's last announced status, filterable to the at-risk flag."""

from datetime import date

from monitoring_test_events import feed, posting, project, structure_published

URL = "/api/v1/monitoring/projects"


async def test_committees_filter_the_projects_flagged_at_risk(client, identity, runtime, settings):
    settings.fixed_today = date(2022, 1, 10)
    await feed(runtime, structure_published(),
               *[project(f"p{i}", code=f"C{i}", lead="MOF" if i % 2 else "DGA", start_fy=2565, end_fy=2565)
                 for i in range(1, 6)])
    for i, pct in ((1, "25"), (2, "0"), (3, "14")):
        lead = "MOF" if i % 2 else "DGA"
        response = await client.post("/api/v1/monitoring/progress-reports", json={
            "project_id": f"p{i}", "fiscal_year": 2565, "quarter": 1, "percent_complete": pct},
            headers={**identity("agency", agency=lead), "Idempotency-Key": f"k{i}"})
        assert response.status_code == 201, response.text
    committee = identity("body_member", bodies=["digital-government-committee"])
    everything = (await client.get(URL, headers=committee)).json()["items"]
    assert [(p["code"], p["status"]) for p in everything] == [
        ("C1", "on_track"), ("C2", "off_track"), ("C3", "at_risk"), ("C4", "not_reporting"), ("C5", "not_reporting")]
    flagged = (await client.get(URL, params={"at_risk": "true"}, headers=committee)).json()["items"]
    assert [p["code"] for p in flagged] == ["C2", "C3"]
    assert [p["code"] for p in (await client.get(URL, params={"status": "off_track"}, headers=committee)).json()[
        "items"]] == ["C2"]

    pages, cursor = [], None
    while True:
        page = (await client.get(URL, params={"limit": 2, **({"cursor": cursor} if cursor else {})},
                                 headers=committee)).json()
        pages.append([p["code"] for p in page["items"]])
        if not (cursor := page["next_cursor"]):
            break
    assert pages == [["C1", "C2"], ["C3", "C4"], ["C5"]]

    mine = (await client.get(URL, headers=identity("agency", agency="DGA"))).json()["items"]
    assert [p["code"] for p in mine] == ["C2", "C4"]
    assert (await client.get(URL, headers=identity("public"))).status_code == 401
    assert (await client.get(URL, params={"status": "sleepy"}, headers=committee)).status_code == 422


async def test_money_alone_can_raise_the_flag(client, identity, runtime, settings, monkeypatch):
    from monitoring import settings as handlers

    settings.fixed_today = date(2022, 6, 1)
    monkeypatch.setenv("MONITORING_FIXED_TODAY", "2022-06-01")
    handlers.consumer_settings.cache_clear()
    try:
        await feed(runtime, project("p1", code="C1", lead="MOF", start_fy=2565, end_fy=2565))
        response = await client.post("/api/v1/monitoring/progress-reports", json={
            "project_id": "p1", "fiscal_year": 2565, "quarter": 2, "percent_complete": "55"},
            headers={**identity("agency", agency="MOF"), "Idempotency-Key": "k"})
        assert response.json()["evaluation"]["status"] == "on_track"
        # An allocation with nothing disbursed eight months into the year: the consumer re-evaluates.
        await feed(runtime, posting("allocation", "a1", "p1", "1000000.00"))
    finally:
        handlers.consumer_settings.cache_clear()
    (row,) = (await client.get(URL, headers=identity("secretariat"))).json()["items"]
    assert (row["status"], row["at_risk"], row["as_of"]) == ("off_track", True, "2022-06-01")
