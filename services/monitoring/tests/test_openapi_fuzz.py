"""Generated input against every monitoring operation never yields a server error (schemathesis
cases drawn from the OpenAPI document, sent with a secretariat's and an agency's identity)."""

from __future__ import annotations

import warnings

import schemathesis
from hypothesis import HealthCheck, given, settings as hypothesis_settings

from monitoring_test_events import feed, project, seed_plan_events


_GENERATED: dict[int, list] = {}


def _cases(openapi: dict, per_operation: int) -> list:
    # Generated once per run: both backends get the same cases (generation is the slow part).
    if per_operation in _GENERATED:
        return _GENERATED[per_operation]
    schema = schemathesis.openapi.from_dict(openapi)
    collected = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @hypothesis_settings(max_examples=per_operation, database=None, deadline=None,
                             suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def collect(case) -> None:  # type: ignore[no-untyped-def]
            collected.append(case)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            collect()
    _GENERATED[per_operation] = collected
    return collected


async def test_no_operation_answers_generated_input_with_a_server_error(client, identity, runtime, settings):
    await feed(runtime, *seed_plan_events(), project("p1", lead="MOF"))
    openapi = (await client.get("/openapi.json")).json()
    cases = _cases(openapi, per_operation=12)
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
