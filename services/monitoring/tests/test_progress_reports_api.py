"""Quarterly progress reports: only the lead agency submits, every bad input is a 4xx problem,
a correction is a new revision with the history readable, and events go through the outbox."""

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import func, select

from dgplan_shared.events import CloudEvent
from monitoring.adapters.tables import outbox, progress_reports
from monitoring_test_events import feed, project, structure_published

BASE = "/api/v1/monitoring/progress-reports"
SCHEMAS = Path(__file__).parents[1] / "monitoring" / "events" / "schemas"


def report(**extra):  # type: ignore[no-untyped-def]
    return {
        "project_id": "p1",
        "fiscal_year": 2565,
        "quarter": 1,
        "percent_complete": "25.5",
        "milestones": [{"name": {"th": "ออกแบบระบบ", "en": "System design"}, "due": "2021-12-15", "done": True}],
        "issues": [{"kind": "risk", "description": {"th": "ผู้รับจ้างล่าช้า", "en": "Contractor late"},
                    "severity": "high"}],
        "narrative": {"th": "ดำเนินการตามแผน", "en": "On plan"},
        "evidence": [{"url": "https://example.go.th/report.pdf", "title": "รายงาน"}],
        **extra,
    }


@pytest.fixture
async def setup(runtime, client, identity, settings):  # type: ignore[no-untyped-def]
    settings.fixed_today = date(2022, 1, 10)
    await feed(runtime, structure_published(), project("p1", lead="MOF", start_fy=2564, end_fy=2566,
                                                        supporting=("DGA",)), project("p2", lead="OPDC"))
    ids = {}
    for code, measure, target, link in (("KPI-PCT", "percent", "80", "p1"), ("KPI-NUM", "number", "1000", "p1"),
                                        ("KPI-OTHER", "number", "5", "p2")):
        created = await client.post("/api/v1/monitoring/indicators", headers={
            **identity("secretariat"), "Idempotency-Key": code}, json={
            "code": code, "name": {"th": code, "en": code}, "unit": "u", "measure_type": measure,
            "targets": [{"fiscal_year": 2565, "target": target}], "link": {"type": "project", "id": link},
            **({"formula": {"numerator": "users", "denominator": "population", "factor": "100"}}
               if measure == "percent" else {}),
        })
        assert created.status_code == 201, created.text
        ids[code] = created.json()["indicator_id"]
    return ids


def mof(identity, key="r1"):  # type: ignore[no-untyped-def]
    return {**identity("agency", agency="MOF", subject="mof-system"), "Idempotency-Key": key}


async def outbox_events(db):  # type: ignore[no-untyped-def]
    async with db.session() as session:
        rows = (await session.execute(select(outbox.c.envelope).order_by(outbox.c.id))).scalars().all()
    return [CloudEvent.from_json(r) for r in rows]


async def test_the_lead_agency_submits_a_report_with_actuals(client, identity, setup, db):
    body = report(actuals=[{"indicator_id": setup["KPI-PCT"], "numerator": "30", "denominator": "60"},
                           {"indicator_id": setup["KPI-NUM"], "value": 250}])
    response = await client.post(BASE, json=body, headers=mof(identity))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["revision"] == 1 and created["percent_complete"] == "25.50"
    assert [a["value"] for a in created["actuals"]] == ["50", "250"]
    assert created["narrative"]["th"] == "ดำเนินการตามแผน"
    assert created["agency"] == "MOF"
    assert created["evaluation"]["status"] in ("on_track", "at_risk", "off_track")
    again = await client.post(BASE, json=body, headers=mof(identity))
    assert again.status_code == 201 and again.json() == created
    async with db.session() as session:
        assert await session.scalar(select(func.count()).select_from(progress_reports)) == 1
    submitted = [e for e in await outbox_events(db) if e.type == "dgplan.monitoring.progress.report-submitted.v1"]
    assert len(submitted) == 1 and submitted[0].subject == "p1"
    assert submitted[0].data["risks"] == 1


async def test_every_published_event_matches_its_schema(client, identity, setup, db):
    await client.post(BASE, json=report(), headers=mof(identity))
    events = [e for e in await outbox_events(db) if e.type.startswith("dgplan.monitoring.")]
    assert {e.type for e in events} == {"dgplan.monitoring.progress.report-submitted.v1",
                                        "dgplan.monitoring.evaluation.project-status-changed.v1"}
    for event in events:
        schema = json.loads((SCHEMAS / f"{event.type}.json").read_text())
        jsonschema.validate(event.data, schema, format_checker=jsonschema.FormatChecker())
    assert sorted(p.name for p in SCHEMAS.iterdir()) == sorted(
        f"{t}.json" for t in ("dgplan.monitoring.progress.report-submitted.v1",
                              "dgplan.monitoring.evaluation.project-status-changed.v1"))


async def test_a_status_change_is_announced_with_the_at_risk_flag(client, identity, setup, db):
    await client.post(BASE, json=report(percent_complete="1"), headers=mof(identity))
    changes = [e.data for e in await outbox_events(db)
               if e.type == "dgplan.monitoring.evaluation.project-status-changed.v1" and e.subject == "p1"]
    assert [(c["previous_status"], c["status"]) for c in changes][-1] == ("not_reporting", "off_track")
    assert changes[-1]["at_risk"] is True and changes[-1]["as_of"] == "2022-01-10"


@pytest.mark.parametrize(
    ("change", "status", "slug_or_field"),
    [
        ({"project_id": "ghost"}, 422, "project_id"),
        ({"fiscal_year": 2567}, 422, "fiscal_year"),
        ({"fiscal_year": 2563}, 422, "fiscal_year"),
        ({"quarter": 5}, 422, "quarter"),
        ({"quarter": 0}, 422, "quarter"),
        ({"percent_complete": "100.01"}, 422, "percent_complete"),
        ({"percent_complete": "-1"}, 422, "percent_complete"),
        ({"percent_complete": "abc"}, 422, "percent_complete"),
        ({"evidence": [{"url": "not a url"}]}, 422, "evidence.0.url"),
        ({"issues": [{"kind": "gossip", "description": {"th": "x"}}]}, 422, "issues.0.kind"),
        ({"revises_report_id": "nothing-yet", "revision_reason": "x"}, 422, "revises_report_id"),
    ],
)
async def test_bad_reports_are_refused(client, identity, setup, db, change, status, slug_or_field):
    response = await client.post(BASE, json=report(**change), headers=mof(identity))
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert slug_or_field in [e["field"] for e in response.json().get("errors", [])]
    async with db.session() as session:
        assert await session.scalar(select(func.count()).select_from(progress_reports)) == 0


@pytest.mark.parametrize(
    ("actual", "field"),
    [
        ({"indicator": "KPI-OTHER", "value": "1"}, "actuals.0.indicator_id"),
        ({"indicator": None, "value": "1"}, "actuals.0.indicator_id"),
        ({"indicator": "KPI-PCT", "value": "101"}, "actuals.0.value"),
        ({"indicator": "KPI-PCT", "numerator": "7", "denominator": "5"}, "actuals.0.value"),
        ({"indicator": "KPI-PCT", "numerator": "1", "denominator": "0"}, "actuals.0.denominator"),
        ({"indicator": "KPI-PCT", "numerator": "1"}, "actuals.0"),
        ({"indicator": "KPI-NUM"}, "actuals.0.value"),
        ({"indicator": "KPI-NUM", "value": "NaN"}, "actuals.0.value"),
    ],
)
async def test_bad_actuals_are_refused(client, identity, setup, db, actual, field):
    actual = dict(actual)  # the parameters are shared by both backends' runs
    indicator = actual.pop("indicator")
    entry = {"indicator_id": setup[indicator] if indicator else "unknown", **actual}
    response = await client.post(BASE, json=report(actuals=[entry]), headers=mof(identity))
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    async with db.session() as session:
        assert await session.scalar(select(func.count()).select_from(progress_reports)) == 0


async def test_actuals_for_the_same_indicator_twice_are_refused(client, identity, setup):
    entry = {"indicator_id": setup["KPI-NUM"], "value": "1"}
    response = await client.post(BASE, json=report(actuals=[entry, entry]), headers=mof(identity))
    assert response.status_code == 422


async def test_only_the_lead_agency_reports(client, identity, setup):
    body = report()
    supporting = await client.post(BASE, json=body, headers={**identity("agency", agency="DGA"), "Idempotency-Key": "a"})
    assert supporting.status_code == 403
    secretariat = await client.post(BASE, json=body, headers={**identity("secretariat"), "Idempotency-Key": "b"})
    assert secretariat.status_code == 403
    anonymous = await client.post(BASE, json=body, headers={"Idempotency-Key": "c"})
    assert anonymous.status_code == 401


async def test_a_second_report_for_the_quarter_must_be_a_marked_revision(client, identity, setup):
    first = (await client.post(BASE, json=report(), headers=mof(identity, "1"))).json()
    duplicate = await client.post(BASE, json=report(percent_complete="30"), headers=mof(identity, "2"))
    assert duplicate.status_code == 409
    assert duplicate.json()["type"] == "urn:dgplan:problem:duplicate-progress-report"
    assert duplicate.json()["current_report_id"] == first["report_id"]
    unexplained = await client.post(BASE, json=report(percent_complete="30", revises_report_id=first["report_id"]),
                                    headers=mof(identity, "3"))
    assert unexplained.status_code == 422 and unexplained.json()["errors"][0]["field"] == "revision_reason"
    corrected = await client.post(BASE, json=report(percent_complete="30", revises_report_id=first["report_id"],
                                                    revision_reason="ตัวเลขผิด / typo"),
                                  headers=mof(identity, "4"))
    assert corrected.status_code == 201, corrected.text
    assert corrected.json()["revision"] == 2
    stale = await client.post(BASE, json=report(percent_complete="31", revises_report_id=first["report_id"],
                                                revision_reason="again"), headers=mof(identity, "5"))
    assert stale.status_code == 409 and stale.json()["type"] == "urn:dgplan:problem:stale-revision"

    history = (await client.get(BASE, params={"project_id": "p1"}, headers=identity("secretariat"))).json()["items"]
    assert [(r["revision"], r["percent_complete"]) for r in history] == [(1, "25.50"), (2, "30.00")]
    latest = (await client.get(BASE, params={"project_id": "p1", "latest_only": True},
                               headers=identity("secretariat"))).json()["items"]
    assert [r["revision"] for r in latest] == [2]
    old = await client.get(f"{BASE}/{first['report_id']}", headers=identity("secretariat"))
    assert old.json()["percent_complete"] == "25.50"


async def test_agencies_read_only_their_projects_reports(client, identity, setup):
    created = (await client.post(BASE, json=report(), headers=mof(identity))).json()
    url = f"{BASE}/{created['report_id']}"
    assert (await client.get(url, headers=identity("agency", agency="MOF"))).status_code == 200
    assert (await client.get(url, headers=identity("agency", agency="DGA"))).status_code == 200  # supporting
    assert (await client.get(url, headers=identity("agency", agency="OPDC"))).status_code == 403
    assert (await client.get(url, headers=identity("body_member", bodies=["cabinet"]))).status_code == 200
    assert (await client.get(url)).status_code == 401
    mine = (await client.get(BASE, headers=identity("agency", agency="MOF"))).json()["items"]
    others = (await client.get(BASE, headers=identity("agency", agency="OPDC"))).json()["items"]
    assert len(mine) == 1 and others == []
    assert (await client.get(BASE, headers=identity("public"))).status_code == 401


async def test_reports_list_pages_with_a_cursor(client, identity, setup):
    for quarter in (1, 2, 3, 4):
        await client.post(BASE, json=report(quarter=quarter), headers=mof(identity, f"q{quarter}"))
    seen, cursor = [], None
    while True:
        page = (await client.get(BASE, params={"limit": 3, "project_id": "p1", **({"cursor": cursor} if cursor else {})},
                                 headers=identity("operator"))).json()
        seen += [r["quarter"] for r in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == [1, 2, 3, 4]
    desc = (await client.get(BASE, params={"sort": "-period", "quarter": 4}, headers=identity("operator"))).json()
    assert [r["quarter"] for r in desc["items"]] == [4]


@pytest.mark.parametrize("digits", ["๕๐", "५०", "５０", "1e2"])
async def test_quantities_take_plain_ascii_decimals_only_and_nothing_is_written_otherwise(
    client, identity, setup, db, digits
):  # type: ignore[no-untyped-def]
    """Issue 16 items 2 and 13: Decimal() would read ๕๐ as 50; the quantity type refuses other
    scripts' digits and exponents in every measured field, and a JSON number is taken as typed."""
    for body, field in (
        (report(percent_complete=digits), "percent_complete"),
        (report(actuals=[{"indicator_id": setup["KPI-NUM"], "value": digits}]), "value"),
    ):
        refused = await client.post(BASE, json=body, headers=mof(identity, key=f"bad-{field}-{digits.encode().hex()}"))
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert field in refused.text and ("ASCII" in refused.text or "plain decimal" in refused.text)
    async with db.session() as session:
        assert await session.scalar(select(func.count()).select_from(progress_reports)) == 0
    taken = await client.post(BASE, json=report(percent_complete=45.5), headers=mof(identity, key="number"))
    assert taken.status_code == 201, taken.text
    assert taken.json()["percent_complete"] in ("45.5", "45.50", 45.5)


def test_every_quantity_is_declared_with_its_pattern_and_bounds():  # type: ignore[no-untyped-def]
    from monitoring.api.schemas import IndicatorIn, ProgressReportIn  # lazy: the wire models under test

    percent = ProgressReportIn.model_json_schema()["properties"]["percent_complete"]["anyOf"]
    assert {"type": "number", "minimum": 0, "maximum": 100} in percent
    assert any(s.get("type") == "string" and s["pattern"].startswith("^[0-9]") for s in percent)
    baseline = IndicatorIn.model_json_schema()["properties"]["baseline"]["anyOf"]  # the quantity, or null
    assert any(s.get("type") == "string" and "pattern" in s for b in baseline for s in b.get("anyOf", [b]))
