"""Issue 16 item 13 (the edge's part): what the OpenAPI document says about the edge's own
operations is what the edge does. ``/.well-known/*`` answer 429 under rate limiting and 401 for a
bad bearer token, and document both; the edge's Idempotency-Key headers are declared non-empty."""

from __future__ import annotations

WELL_KNOWN = ("/.well-known/jwks.json", "/.well-known/openid-configuration")
EDGE_POSTS = ("/api/v1/admin/clients", "/api/v1/admin/clients/{client_id}/secret")


async def test_every_status_the_well_known_paths_answer_is_documented(gateway):
    for path in WELL_KNOWN:
        # A burst of 3 from one address: the document, then the path twice, then limited.
        async with gateway(rate_limit_per_second=0.01, rate_limit_burst=3) as (client, _):
            operation = (await client.get("/openapi.json")).json()["paths"][path]["get"]
            seen = {(await client.get(path)).status_code for _ in range(3)}
            seen.add((await client.get(path, headers={"Authorization": "Bearer not.a.jwt"})).status_code)
        assert seen == {200, 401, 429}, (path, seen)
        assert {str(status) for status in seen} <= set(operation["responses"]), (path, operation["responses"])
        limited = operation["responses"]["429"]
        assert "application/problem+json" in limited["content"] and "Retry-After" in limited["headers"]


async def test_the_edge_declares_its_idempotency_key_non_empty_and_refuses_blank_ones(gateway, bearer):
    async with gateway() as (client, runtime):
        document = (await client.get("/openapi.json")).json()
        for path in EDGE_POSTS:
            (parameter,) = [p for p in document["paths"][path]["post"]["parameters"] if p["name"] == "Idempotency-Key"]
            assert parameter["required"] is True
            assert parameter["schema"]["type"] == "string" and parameter["schema"]["minLength"] == 1
            assert parameter["schema"]["maxLength"] == 200
        headers = await bearer(runtime, "operator", subject="ops")
        body = {"client_id": "blank-key", "name": "Blank key", "roles": ["secretariat"]}
        for blank in ("", " "):
            sent = {**headers, "Idempotency-Key": blank}
            answer = await client.post("/api/v1/admin/clients", json=body, headers=sent)
            assert answer.status_code == 428, blank
