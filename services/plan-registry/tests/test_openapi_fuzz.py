"""Generated input against every registry operation never yields a server error, and every
error is problem+json (schemathesis cases from the OpenAPI document, several callers)."""

from __future__ import annotations

from dgplan_shared.testing.generated_cases import generated_cases

def _fewer_for_import(path: str) -> int | None:
    # The whole-plan document is deeply nested and slow to generate; its validation is exercised
    # by test_transfer, so a few generated bodies suffice here.
    return 1 if path.endswith("/import") else None


async def test_no_operation_answers_generated_input_with_a_server_error(client, identity, seeded):
    openapi = (await client.get("/openapi.json")).json()
    cases = generated_cases("plan-registry", openapi, per_operation=6, examples_for=_fewer_for_import)
    assert len({(c.method, c.path) for c in cases}) >= 25
    callers = [identity("secretariat"), identity("agency", agency="MOF"), {}, identity("body_member", bodies=["nesdc"])]
    failures = []
    for i, case in enumerate(cases):
        # Aim some cases at real ids so that deeper code runs, not only the 404 branch.
        path_parameters = dict(case.path_parameters or {})
        if i % 3 == 0:
            for name in ("plan_id",):
                if name in path_parameters:
                    path_parameters[name] = seeded["id"]
            if "version_id" in path_parameters:
                path_parameters["version_id"] = seeded["approved_version_id"]
            case.path_parameters = path_parameters
        headers = {**callers[i % len(callers)], "Idempotency-Key": f"fuzz-{i}"}
        kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
        kwargs.pop("cookies", None)
        response = await client.request(**kwargs)
        if response.status_code >= 500:
            failures.append((case.method, case.formatted_path, kwargs.get("params"), kwargs.get("json"), response.text[:300]))
        elif response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json", (case.method, case.path, response.status_code)
    assert failures == []
