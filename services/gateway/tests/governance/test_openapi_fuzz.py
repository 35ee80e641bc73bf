"""Generated input against every governance and audit operation never yields a server error, and
every refusal is problem+json (schemathesis cases from the OpenAPI document, sent by an operator,
a committee member and the secretariat)."""

from __future__ import annotations

from dgplan_shared.testing.generated_cases import generated_cases
from gateway.governance.events import types as ev

def _governance_or_audit(path: str, item: dict) -> bool:
    return path.startswith(("/api/v1/governance", "/api/v1/audit"))


async def test_no_operation_answers_generated_input_with_a_server_error(gw, auth, deliver):
    await deliver(ev.PLAN_SUBMITTED, "p", {"plan_id": "p", "version_id": "v", "number": 1,
                                          "revision_of_version_id": None, "submitted_by": "s"})
    cases = generated_cases("gateway-governance", gw.app.openapi(), per_operation=10, keep_path=_governance_or_audit)
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
