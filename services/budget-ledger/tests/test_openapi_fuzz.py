"""Generated input (schemathesis, from our OpenAPI) never gets a server error, and every refusal is
problem+json — with the secretariat's, an agency's and a subcommittee member's identity."""

from __future__ import annotations

from dgplan_shared.testing.generated_cases import generated_cases

async def test_generated_input_never_causes_a_server_error(client, who, seeded):
    openapi = (await client.get("/openapi.json")).json()
    cases = generated_cases("budget-ledger", openapi, per_operation=6)
    assert len({(c.method, c.path) for c in cases}) >= 18
    callers = [who.secretariat(), who.agency("MOF"), who.member()]
    failures = []
    for i, case in enumerate(cases):
        kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=callers[i % 3])
        kwargs.pop("cookies", None)
        response = await client.request(**kwargs)
        if response.status_code >= 500:
            failures.append((case.method, case.formatted_path, kwargs.get("params"), kwargs.get("json"), response.text[:300]))
        elif response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json", (case.method, case.path, response.text)
    assert failures == []


async def test_nul_characters_are_refused(client, who, seeded, h):
    headers = who.secretariat()
    assert (await client.get("/api/v1/screening/rounds/a%00b", headers=headers)).status_code == 422
    assert (await client.get("/api/v1/budget/entries", params={"project_id": "a\x00"}, headers=headers)).status_code == 422
    r = await client.post("/api/v1/screening/rounds", json={"plan_id": "plan-dgdp", "fiscal_year": 2565, "ceiling": "1.00",
                          "title": "ก\x00ข", "submission_deadline": "2030-01-01T00:00:00Z", "decision_deadline": "2030-02-01T00:00:00Z"},
                          headers={**headers, **h.key("nul")})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    huge_cursor = await client.get("/api/v1/budget/entries", params={"cursor": "OTk5OTk5OTk5OTk5OTk5OTk5OTk5"}, headers=headers)
    assert huge_cursor.status_code == 422
