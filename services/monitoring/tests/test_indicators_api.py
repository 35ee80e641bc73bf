"""Indicators: defined by the secretariat, linked to a plan target, a strategy or a project;
idempotent creation, validation, listing with cursors and filters, ETag / If-Match updates."""

import pytest

from monitoring_test_events import PLAN_ID, feed, project, structure_published

BASE = "/api/v1/monitoring/indicators"


def body(code="KPI-1", link=("project", "p1"), **extra):  # type: ignore[no-untyped-def]
    return {
        "code": code,
        "name": {"th": "ร้อยละของบริการที่ให้บริการผ่านระบบดิจิทัล", "en": "Share of services offered digitally"},
        "unit": "percent",
        "measure_type": "percent",
        "direction": "higher_is_better",
        "formula": {"numerator": "services online", "denominator": "all services", "factor": "100"},
        "baseline": "20",
        "baseline_year": 2563,
        "targets": [{"fiscal_year": 2564, "target": "50"}, {"fiscal_year": 2565, "target": "80.00"}],
        "frequency": "quarterly",
        "source": "DGA survey",
        "link": {"type": link[0], "id": link[1]},
        **extra,
    }


@pytest.fixture
async def known(runtime):  # type: ignore[no-untyped-def]
    await feed(runtime, structure_published(), project("p1"))


async def test_secretariat_defines_an_indicator_once_per_idempotency_key(client, identity, known):
    headers = {**identity("secretariat"), "Idempotency-Key": "k-1"}
    first = await client.post(BASE, json=body(), headers=headers)
    assert first.status_code == 201, first.text
    created = first.json()
    assert created["name"]["th"] == "ร้อยละของบริการที่ให้บริการผ่านระบบดิจิทัล"
    assert created["targets"] == [{"fiscal_year": 2564, "target": "50"}, {"fiscal_year": 2565, "target": "80"}]
    assert created["formula"] == {"numerator": "services online", "denominator": "all services", "factor": "100"}
    assert first.headers["etag"] == f'"indicator-{created["indicator_id"]}-1"'
    again = await client.post(BASE, json=body(), headers=headers)
    assert again.status_code == 201 and again.json() == created
    listed = (await client.get(BASE, headers=identity("agency", agency="MOF"))).json()
    assert [i["code"] for i in listed["items"]] == ["KPI-1"]
    reused = await client.post(BASE, json=body(unit="people"), headers=headers)
    assert reused.status_code == 422
    assert reused.json()["type"] == "urn:dgplan:problem:idempotency-key-reused"


async def test_only_the_secretariat_manages_indicators(client, identity, known):
    response = await client.post(BASE, json=body(), headers={**identity("agency", agency="MOF"), "Idempotency-Key": "x"})
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert (await client.post(BASE, json=body(), headers={"Idempotency-Key": "x"})).status_code == 401


async def test_an_idempotency_key_is_required(client, identity, known):
    response = await client.post(BASE, json=body(), headers=identity("secretariat"))
    assert response.status_code == 428
    assert response.json()["type"] == "urn:dgplan:problem:idempotency-key-required"
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"link": {"type": "project", "id": "nope"}}, "link.id"),
        ({"link": {"type": "strategy", "id": "nope"}}, "link.id"),
        ({"link": {"type": "galaxy", "id": "p1"}}, "link.type"),
        ({"measure_type": "vibes"}, "measure_type"),
        ({"direction": "sideways"}, "direction"),
        ({"targets": [{"fiscal_year": 2565, "target": "120"}]}, "targets.0.target"),
        ({"targets": [{"fiscal_year": 2565, "target": "1"}, {"fiscal_year": 2565, "target": "2"}]}, "targets"),
        ({"targets": [{"fiscal_year": 65, "target": "1"}]}, "targets.0.fiscal_year"),
        ({"baseline": "-5"}, "baseline"),
        ({"formula": {"numerator": "a", "denominator": "b", "factor": "0"}}, "formula.factor"),
        ({"name": {"th": "   ", "en": "x"}}, "name.th"),
        ({"surprise": 1}, "surprise"),
        ({"code": "has space"}, "code"),
    ],
)
async def test_bad_indicator_definitions_are_422_naming_the_field(client, identity, known, change, field):
    response = await client.post(BASE, json={**body(), **change},
                                 headers={**identity("secretariat"), "Idempotency-Key": "bad"})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_qualitative_indicators_have_no_numeric_targets(client, identity, known):
    qualitative = {**body(), "measure_type": "qualitative", "formula": None, "baseline": None, "targets": []}
    ok = await client.post(BASE, json=qualitative, headers={**identity("secretariat"), "Idempotency-Key": "q1"})
    assert ok.status_code == 201
    bad = await client.post(BASE, json={**qualitative, "code": "Q2", "targets": [{"fiscal_year": 2565, "target": "1"}]},
                            headers={**identity("secretariat"), "Idempotency-Key": "q2"})
    assert bad.status_code == 422


async def test_a_duplicate_code_is_a_conflict(client, identity, known):
    await client.post(BASE, json=body(), headers={**identity("secretariat"), "Idempotency-Key": "a"})
    response = await client.post(BASE, json=body(), headers={**identity("secretariat"), "Idempotency-Key": "b"})
    assert response.status_code == 409
    assert response.json()["type"] == "urn:dgplan:problem:indicator-code-taken"


async def test_links_to_plan_targets_and_strategies(client, identity, known):
    for code, link in (("T-1", ("plan_target", f"{PLAN_ID}-T1")), ("S-1", ("strategy", f"{PLAN_ID}-S1"))):
        response = await client.post(BASE, json=body(code=code, link=link),
                                     headers={**identity("secretariat"), "Idempotency-Key": code})
        assert response.status_code == 201, response.text
    only = (await client.get(BASE, params={"link_type": "strategy"}, headers=identity("operator"))).json()
    assert [i["code"] for i in only["items"]] == ["S-1"]


async def test_list_pages_with_a_cursor_and_sorts(client, identity, known):
    for n in range(5):
        await client.post(BASE, json=body(code=f"K{n}"), headers={**identity("secretariat"), "Idempotency-Key": f"k{n}"})
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(BASE, params=params, headers=identity("operator"))).json()
        seen += [i["code"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["K0", "K1", "K2", "K3", "K4"]
    desc = (await client.get(BASE, params={"sort": "-code", "limit": 2}, headers=identity("operator"))).json()
    assert [i["code"] for i in desc["items"]] == ["K4", "K3"]
    bad = await client.get(BASE, params={"cursor": "!!!"}, headers=identity("operator"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"


async def test_updates_need_the_current_etag(client, identity, known):
    created = (await client.post(BASE, json=body(), headers={**identity("secretariat"), "Idempotency-Key": "u"})).json()
    url = f"{BASE}/{created['indicator_id']}"
    read = await client.get(url, headers=identity("operator"))
    tag = read.headers["etag"]
    changed = {**body(), "targets": [{"fiscal_year": 2565, "target": "90"}]}
    missing = await client.put(url, json=changed, headers=identity("secretariat"))
    assert missing.status_code == 428
    updated = await client.put(url, json=changed, headers={**identity("secretariat"), "If-Match": tag})
    assert updated.status_code == 200
    assert updated.json()["version"] == 2 and updated.json()["targets"] == [{"fiscal_year": 2565, "target": "90"}]
    assert updated.headers["etag"] != tag
    stale = await client.put(url, json=changed, headers={**identity("secretariat"), "If-Match": tag})
    assert stale.status_code == 412
    assert (await client.get(f"{BASE}/missing", headers=identity("operator"))).status_code == 404


async def test_plan_level_indicator_actuals_revisions_and_scorecard(client, identity, known, settings):
    from datetime import date

    settings.fixed_today = date(2022, 4, 20)
    secretariat = identity("secretariat")
    created = (await client.post(BASE, json={**body(code="T1-KPI", link=("plan_target", f"{PLAN_ID}-T1")),
                                             "formula": None},
                                 headers={**secretariat, "Idempotency-Key": "t1"})).json()
    url = f"{BASE}/{created['indicator_id']}/actuals"
    first = await client.post(url, json={"fiscal_year": 2565, "quarter": 2, "value": "38", "note": "สำรวจ"},
                              headers={**secretariat, "Idempotency-Key": "a1"})
    assert first.status_code == 201, first.text
    assert (await client.post(url, json={"fiscal_year": 2565, "quarter": 2, "value": "38", "note": "สำรวจ"},
                              headers={**secretariat, "Idempotency-Key": "a1"})).json() == first.json()
    duplicate = await client.post(url, json={"fiscal_year": 2565, "quarter": 2, "value": "40"},
                                  headers={**secretariat, "Idempotency-Key": "a2"})
    assert duplicate.status_code == 409
    assert duplicate.json()["type"] == "urn:dgplan:problem:duplicate-indicator-actual"
    out_of_range = await client.post(url, json={"fiscal_year": 2565, "quarter": 3, "value": "140"},
                                     headers={**secretariat, "Idempotency-Key": "a3"})
    assert out_of_range.status_code == 422 and out_of_range.json()["errors"][0]["field"] == "value"
    agency = await client.post(url, json={"fiscal_year": 2565, "quarter": 3, "value": "1"},
                               headers={**identity("agency", agency="MOF"), "Idempotency-Key": "a4"})
    assert agency.status_code == 403

    # Q2 actual 38, baseline 20, target 80: 30 % of the way with 50 % expected by Q2 -> lag 20: at risk.
    card = (await client.get(f"/api/v1/monitoring/plans/{PLAN_ID}/scorecard", params={"fiscal_year": 2565},
                             headers=secretariat)).json()
    (kpi,) = card["indicators"]
    assert (kpi["actual"], kpi["target"], kpi["actual_quarter"], kpi["achievement"]) == ("38", "80", 2, "30.00")
    assert kpi["status"] == "at_risk"
    assert card["targets"][0]["indicators"] == [{"code": "T1-KPI", "status": "at_risk", "actual": "38",
                                                 "target": "80"}]

    corrected = await client.post(url, json={"fiscal_year": 2565, "quarter": 2, "value": "50",
                                             "revises_actual_id": first.json()["actual_id"],
                                             "revision_reason": "แก้ไขตัวเลข"},
                                  headers={**secretariat, "Idempotency-Key": "a5"})
    assert corrected.status_code == 201 and corrected.json()["revision"] == 2
    history = (await client.get(url, headers=identity("operator"))).json()["items"]
    assert [(a["revision"], a["value"]) for a in history] == [(1, "38"), (2, "50")]
    card = (await client.get(f"/api/v1/monitoring/plans/{PLAN_ID}/scorecard", params={"fiscal_year": 2565},
                             headers=secretariat)).json()
    assert card["indicators"][0]["status"] == "on_track"


async def test_project_indicators_take_actuals_only_from_progress_reports(client, identity, known):
    created = (await client.post(BASE, json=body(), headers={**identity("secretariat"), "Idempotency-Key": "p"})).json()
    response = await client.post(f"{BASE}/{created['indicator_id']}/actuals",
                                 json={"fiscal_year": 2565, "quarter": 1, "value": "10"},
                                 headers={**identity("secretariat"), "Idempotency-Key": "p1"})
    assert response.status_code == 422
    assert response.json()["type"] == "urn:dgplan:problem:project-indicator"
    missing = await client.post(f"{BASE}/nope/actuals", json={"fiscal_year": 2565, "quarter": 1, "value": "1"},
                                headers={**identity("secretariat"), "Idempotency-Key": "p2"})
    assert missing.status_code == 404
