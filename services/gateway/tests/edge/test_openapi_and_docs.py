"""One OpenAPI document for the whole API, and an offline docs page listing every operation."""

from __future__ import annotations

import re

from fastapi import FastAPI


async def test_the_document_merges_every_service_with_the_gateway(gateway):
    async with gateway() as (client, _):
        document = (await client.get("/openapi.json")).json()
    paths = document["paths"]
    for service in ("plan-registry", "budget-ledger", "monitoring", "notifications"):
        operation = paths[f"/api/v1/{service}-thing"]["get"]
        assert operation["x-dgplan-service"] == service
    assert "/oauth2/token" in paths and "/api/v1/admin/clients" in paths
    assert "/{path}" not in paths
    # Three services each define a different "Thing": one keeps the name, the others are renamed
    # and their references follow.
    schemas = document["components"]["schemas"]
    things = {name: s["title"] for name, s in schemas.items() if name.endswith("Thing")}
    assert sorted(things.values()) == [
        "budget-ledger thing", "monitoring thing", "notifications thing", "plan-registry thing"]
    for service in ("plan-registry", "budget-ledger", "monitoring", "notifications"):
        ref = paths[f"/api/v1/{service}-thing"]["get"]["responses"]["200"]["content"]["application/json"]["schema"][
            "$ref"
        ]
        assert things[ref.rsplit("/", 1)[1]] == f"{service} thing"
    operation_ids = [op["operationId"] for item in paths.values() for op in item.values() if "operationId" in op]
    assert len(operation_ids) == len(set(operation_ids))
    assert (
        document["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]["tokenUrl"] == "/oauth2/token"
    )
    assert "x-dgplan-unavailable" not in document


async def test_an_unreachable_service_is_reported_not_fatal(gateway, echo_upstreams):
    broken = FastAPI(openapi_url=None)
    async with gateway(upstreams=echo_upstreams(monitoring=broken)) as (client, _):
        response = await client.get("/openapi.json")
        assert response.status_code == 200
        document = response.json()
        assert document["x-dgplan-unavailable"] == ["monitoring"]
        assert "/api/v1/plan-registry-thing" in document["paths"]
        assert "/api/v1/monitoring-thing" not in document["paths"]
        assert "Not reachable now" in (await client.get("/docs")).text


async def test_the_docs_page_lists_every_operation_without_external_assets(gateway):
    async with gateway() as (client, _):
        document = (await client.get("/openapi.json")).json()
        page = await client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert not re.search(r"<script|<link|src=|@import|url\(", html, re.IGNORECASE)
    assert not re.search(r"https?://(?!127\.0\.0\.1)", html)
    for path, item in document["paths"].items():
        for method in item:
            if method in ("get", "post", "put", "patch", "delete"):
                assert f'<span class="m {method}">{method}</span> <code>{path}</code>' in html, (method, path)
    assert "<code>limit</code>" in html  # parameters are listed
    assert "Idempotency-Key" in html
