"""Generated input against every governance and audit operation never yields a server error, and
every refusal is problem+json (schemathesis cases from the OpenAPI document, sent by an operator,
a committee member and the secretariat)."""

from __future__ import annotations

import warnings

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from gateway.governance import events as ev

_GENERATED: list = []


def _cases(openapi: dict, per_operation: int) -> list:
    if _GENERATED:  # generated once: both backends get the same cases
        return _GENERATED
    mine = {p: v for p, v in openapi["paths"].items() if p.startswith(("/api/v1/governance", "/api/v1/audit"))}
    schema = schemathesis.openapi.from_dict({**openapi, "paths": mine})
    for result in schema.get_all_operations():
        operation = result.ok()

        @hypothesis_settings(max_examples=per_operation, database=None, deadline=None,
                             suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def collect(case) -> None:  # type: ignore[no-untyped-def]
            _GENERATED.append(case)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            collect()
    return _GENERATED


async def test_no_operation_answers_generated_input_with_a_server_error(gw, auth, deliver):
    await deliver(ev.PLAN_SUBMITTED, "p", {"plan_id": "p", "version_id": "v", "number": 1,
                                          "revision_of_version_id": None, "submitted_by": "s"})
    cases = _cases(gw.app.openapi(), per_operation=10)
    assert len({(c.method, c.path) for c in cases}) >= 14
    callers = [await auth("operator", key="fuzz"), await auth("body_member", subject="demo-dgc-chair", key="fuzz"),
               await auth("secretariat", subject="demo-secretariat")]
    failures = []
    for i, case in enumerate(cases):
        kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=callers[i % 3])
        kwargs.pop("cookies", None)
        response = await gw.client.request(**kwargs)
        if response.status_code >= 500:
            failures.append((case.method, case.formatted_path, kwargs.get("json"), response.text[:300]))
        elif response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json", (case.method, case.path)
    assert failures == []
