"""Generated input against every operation the edge serves itself (clients, token endpoint,
discovery) never yields a server error, and errors are problem+json (the token endpoint's are
RFC 6749 JSON, as OAuth2 clients expect)."""

from __future__ import annotations

from dgplan_shared.testing.generated_cases import generated_cases

EDGE_TAGS = {"admin", "authentication"}


def _served_by_the_edge(path: str, item: dict) -> bool:
    return any(set(op.get("tags", [])) & EDGE_TAGS for op in item.values() if isinstance(op, dict))


async def test_no_edge_operation_answers_generated_input_with_a_server_error(gateway, bearer):
    async with gateway(rate_limit_per_second=0) as (client, runtime):
        operator = await bearer(runtime, "operator", subject="ops")
        cases = generated_cases("gateway-edge", (await client.get("/openapi.json")).json(), per_operation=25,
                                keep_path=_served_by_the_edge)
        assert len({(c.method, c.path) for c in cases}) >= 7
        failures = []
        for case in cases:
            kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=operator)
            kwargs.pop("cookies", None)
            response = await client.request(**kwargs)
            if response.status_code >= 500:
                failures.append(
                    (case.method, case.formatted_path, kwargs.get("params"), kwargs.get("json"), response.text[:300])
                )
            elif response.status_code >= 400 and case.path != "/oauth2/token":
                assert response.headers["content-type"] == "application/problem+json", (case.method, case.path)
    assert failures == []


async def test_nul_bytes_and_control_characters_are_refused_not_stored(gateway, bearer):
    async with gateway() as (client, runtime):
        headers = await bearer(runtime, "operator", subject="ops")
        assert (await client.get("/api/v1/admin/clients/a%00b", headers=headers)).status_code == 404
        assert (
            await client.get("/api/v1/admin/clients", params={"cursor": "YQBi"}, headers=headers)
        ).status_code == 422
        body = {"client_id": "nul-test", "name": "ก\x00ข", "roles": ["secretariat"]}
        response = await client.post("/api/v1/admin/clients", json=body, headers={**headers, "Idempotency-Key": "n"})
        assert response.status_code == 422 and "name" in response.json()["detail"]
        form = {"grant_type": "client_credentials", "client_id": "a\x00b", "client_secret": "x"}
        assert (await client.post("/oauth2/token", data=form)).status_code == 401


async def test_thai_names_are_kept_nfc(gateway, bearer):
    decomposed = "กระทรวงการคลัง Cafe\u0301"  # a combining accent: NFC composes it
    async with gateway() as (client, runtime):
        headers = {**await bearer(runtime, "operator", subject="ops"), "Idempotency-Key": "t"}
        body = {"client_id": "mof-thai", "name": decomposed, "roles": ["agency"], "agency": "MOF"}
        created = (await client.post("/api/v1/admin/clients", json=body, headers=headers)).json()
    assert created["name"] == "กระทรวงการคลัง Caf\u00e9"
