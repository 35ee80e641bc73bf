"""Generated input against every webhook operation never yields a server error (schemathesis cases
drawn from the OpenAPI document, sent with a secretariat's and an agency's identity)."""

from __future__ import annotations

import uuid

from dgplan_shared.testing.generated_cases import generated_cases


async def test_no_operation_answers_generated_input_with_a_server_error(client, identity):
    sec, mof = identity("secretariat"), identity("agency", agency="MOF")
    await client.post("/api/v1/webhooks/endpoints", json={"url": "https://hooks.example.org/x"},
                      headers={**mof, "Idempotency-Key": str(uuid.uuid4())})
    openapi = (await client.get("/openapi.json")).json()
    cases = generated_cases("notifications", openapi, per_operation=12)
    assert len({(c.method, c.path) for c in cases}) >= 9
    callers = [sec, mof]
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
