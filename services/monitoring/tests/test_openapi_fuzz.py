"""Generated input against every monitoring operation never yields a server error (schemathesis
cases drawn from the OpenAPI document, sent with a secretariat's and an agency's identity)."""

from __future__ import annotations

from dgplan_shared.testing.generated_cases import generated_cases
from monitoring_test_events import feed, project, seed_plan_events


async def test_no_operation_answers_generated_input_with_a_server_error(client, identity, runtime, settings):
    await feed(runtime, *seed_plan_events(), project("p1", lead="MOF"))
    openapi = (await client.get("/openapi.json")).json()
    cases = generated_cases("monitoring", openapi, per_operation=12)
    assert len({(c.method, c.path) for c in cases}) >= 11
    callers = [identity("secretariat"), identity("agency", agency="MOF")]
    failures = []
    for i, case in enumerate(cases):
        kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=callers[i % 2])
        kwargs.pop("cookies", None)
        response = await client.request(**kwargs)
        if response.status_code >= 500:
            failures.append((case.method, case.formatted_path, kwargs.get("params"), kwargs.get("json"),
                             response.text[:300]))
        elif response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json", (case.method, case.path)
    assert failures == []


async def test_nul_characters_are_refused_not_stored(client, identity, runtime):
    await feed(runtime, project("p1", lead="MOF"))
    headers = identity("secretariat")
    assert (await client.get("/api/v1/monitoring/plans/a%00b/scorecard", params={"fiscal_year": 2565},
                             headers=headers)).status_code == 422
    assert (await client.get("/api/v1/monitoring/indicators", params={"link_id": "a\x00"},
                             headers=headers)).status_code == 422
    response = await client.post("/api/v1/monitoring/progress-reports", json={
        "project_id": "p1", "fiscal_year": 2565, "quarter": 1, "percent_complete": "1",
        "narrative": {"th": "ก\x00ข"}}, headers={**identity("agency", agency="MOF"), "Idempotency-Key": "n"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
