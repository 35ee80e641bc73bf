"""Settled versions' documents and diffs are built once and kept; plan lists revalidate by ETag.

What is kept is counted by spies on the builders (never by timing); access is decided on every
request, so a kept answer never reaches a caller who may not read it."""

from __future__ import annotations

import hashlib

import pytest

from dgplan_shared.service import create_service_app
from dgplan_shared.testing.clients import asgi_client
from registry_test_helpers import governance_record

from plan_registry.api.deps import kept_reads_of
from plan_registry.application import compare_versions, version_document
from plan_registry.definition import definition

APPROVED = "dgplan.gateway.plan-approval.approved.v1"
RETURNED = "dgplan.gateway.plan-approval.returned.v1"
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture
async def served(settings, db, bus):  # type: ignore[no-untyped-def]
    """(client, app): the registry app, so a test can reach what it keeps."""
    app = create_service_app(definition(), settings, db=db, bus=bus)
    async with asgi_client(app) as http:
        yield http, app


@pytest.fixture
def builds(monkeypatch):  # type: ignore[no-untyped-def]
    """How many times each answer was built from the database."""
    counts = {"document": 0, "diff": 0}
    build, compare = version_document.build, compare_versions.compare

    async def counting_build(*args, **kwargs):  # type: ignore[no-untyped-def]
        counts["document"] += 1
        return await build(*args, **kwargs)

    async def counting_compare(*args, **kwargs):  # type: ignore[no-untyped-def]
        counts["diff"] += 1
        return await compare(*args, **kwargs)

    monkeypatch.setattr(version_document, "build", counting_build)
    monkeypatch.setattr("plan_registry.application.diff_document.compare", counting_compare)
    return counts


def document_path(plan_id: str, version_id: str) -> str:
    return f"/api/v1/plans/{plan_id}/versions/{version_id}/document"


async def revise(client, plan_id, secretariat, idem) -> str:  # type: ignore[no-untyped-def]
    response = await client.post(f"/api/v1/plans/{plan_id}/versions", json={}, headers=secretariat | idem())
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def submit(client, plan_id, version_id, secretariat) -> None:  # type: ignore[no-untyped-def]
    response = await client.post(f"/api/v1/plans/{plan_id}/versions/{version_id}/submit", headers=secretariat)
    assert response.status_code == 200, response.text


async def decide(runtime, event_type: str, plan_id: str, version_id: str, offset: int) -> None:  # type: ignore[no-untyped-def]
    record = governance_record(event_type, plan_id, {"instance_id": "i", "version_id": version_id, "body": "cabinet",
                                                     "reason": "revise"}, offset)
    assert await runtime.consumer().handle_record(record) == "processed"


async def test_the_approved_document_is_public_immutable_and_answers_304(served, seeded, builds, identity):
    client, _ = served
    path = document_path(seeded["id"], seeded["approved_version_id"])
    first = await client.get(path)
    assert first.status_code == 200 and first.headers["content-type"] == "application/json"
    assert first.headers["cache-control"] == IMMUTABLE and "vary" not in first.headers
    etag = first.headers["etag"]
    assert etag == f'"{hashlib.sha256(first.content).hexdigest()[:32]}"'  # strong: the bytes' own hash
    body = first.json()
    assert body["version"]["id"] == seeded["approved_version_id"] and body["version"]["status"] == "approved"
    assert {n["code"] for n in body["nodes"]} >= {"S1", "S2", "S3", "S4"}

    for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = await client.get(path, headers={"If-None-Match": sent})
        assert again.status_code == 304, sent
        assert again.content == b"" and again.headers["etag"] == etag and again.headers["cache-control"] == IMMUTABLE
    assert (await client.get(path, headers={"If-None-Match": '"other"'})).status_code == 200
    # Approved content is the same for everyone: an authorised caller gets the same bytes and tag.
    secretariat = await client.get(path, headers=identity("secretariat"))
    assert secretariat.content == first.content and secretariat.headers["etag"] == etag
    assert builds["document"] == 1


async def test_a_kept_document_is_answered_without_the_database_or_the_route(served, seeded, builds, monkeypatch):
    client, app = served
    path = document_path(seeded["id"], seeded["approved_version_id"])
    etag = (await client.get(path)).headers["etag"]
    runtime = app.state.runtime
    opened, routed = [], []
    uow = runtime.uow
    runtime.uow = lambda: opened.append(1) or uow()  # type: ignore[method-assign]
    handle = version_document.handle
    monkeypatch.setattr(version_document, "handle", lambda *a: routed.append(1) or handle(*a))
    assert (await client.get(path)).status_code == 200
    assert (await client.get(path, headers={"If-None-Match": etag})).status_code == 304
    assert opened == [] and routed == [] and builds["document"] == 1


async def test_a_version_of_another_plan_is_not_found_even_when_kept(served, seeded):
    client, _ = served
    assert (await client.get(document_path(seeded["id"], seeded["approved_version_id"]))).status_code == 200
    assert (await client.get(document_path("no-such-plan", seeded["approved_version_id"]))).status_code == 404


async def test_a_draft_is_never_kept_and_an_edit_shows_at_once(served, seeded, builds, secretariat, idem):
    client, _ = served
    draft = await revise(client, seeded["id"], secretariat, idem)
    path = document_path(seeded["id"], draft)
    first = await client.get(path, headers=secretariat)
    assert first.status_code == 200
    assert first.headers["cache-control"] == "private, no-store" and "immutable" not in first.headers["cache-control"]
    assert first.headers["vary"] == "Authorization"
    s1 = next(n for n in first.json()["nodes"] if n["code"] == "S1")
    node = f"/api/v1/plans/{seeded['id']}/versions/{draft}/nodes/{s1['id']}"
    current = await client.get(node, headers=secretariat)
    renamed = await client.patch(node, json={"name": {"th": "ยุทธศาสตร์ที่ 1 (แก้)", "en": "Strategy 1 (edited)"}},
                                 headers=secretariat | {"If-Match": current.headers["etag"]})
    assert renamed.status_code == 200, renamed.text

    after = await client.get(path, headers=secretariat | {"If-None-Match": first.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != first.headers["etag"]
    assert next(n for n in after.json()["nodes"] if n["code"] == "S1")["name"]["en"] == "Strategy 1 (edited)"
    assert builds["document"] == 2
    # Unchanged, a draft still revalidates (built again, then compared).
    same = await client.get(path, headers=secretariat | {"If-None-Match": after.headers["etag"]})
    assert same.status_code == 304 and builds["document"] == 3


async def test_access_is_checked_on_every_request_for_a_kept_document(
    served, seeded, builds, secretariat, identity, idem, runtime
):
    client, _ = served
    plan_id = seeded["id"]
    draft = await revise(client, plan_id, secretariat, idem)
    assert (await client.get(document_path(plan_id, draft), headers=secretariat)).status_code == 200
    assert (await client.get(document_path(plan_id, draft))).status_code == 401  # the public, after a reader
    await submit(client, plan_id, draft, secretariat)
    await decide(runtime, RETURNED, plan_id, draft, 0)  # settled: kept from now on

    path = document_path(plan_id, draft)
    kept = await client.get(path, headers=secretariat)
    assert kept.status_code == 200 and kept.json()["version"]["status"] == "returned"
    assert kept.headers["cache-control"] == "private, no-cache" and kept.headers["vary"] == "Authorization"
    etag = kept.headers["etag"]
    built = builds["document"]
    assert (await client.get(path, headers=secretariat | {"If-None-Match": etag})).status_code == 304
    assert builds["document"] == built  # kept

    # Nobody else's read, nor their ETag, opens a version to a caller who may not read it.
    assert (await client.get(path)).status_code == 401
    assert (await client.get(path, headers={"If-None-Match": etag})).status_code == 401
    assert (await client.get(path, headers=identity("public") | {"If-None-Match": "*"})).status_code == 401
    # An agency sees only the nodes it holds a role on: its own variant, never the secretariat's.
    own = await client.get(path, headers=identity("agency", agency="MOF") | {"If-None-Match": etag})
    assert own.status_code == 200 and own.headers["etag"] != etag
    assert [n["code"] for n in own.json()["nodes"]] == ["S1"]
    assert (await client.get(path, headers=identity("agency", agency="MOF") | {"If-None-Match": own.headers["etag"]})).status_code == 304


async def test_a_diff_of_settled_versions_is_kept_and_public_once_both_are_approved(
    served, seeded, builds, secretariat, idem, runtime
):
    client, _ = served
    plan_id, v1 = seeded["id"], seeded["approved_version_id"]
    v2 = await revise(client, plan_id, secretariat, idem)
    diff = f"/api/v1/plans/{plan_id}/diff"
    draft_diff = await client.get(diff, params={"from": v1, "to": v2}, headers=secretariat)
    assert draft_diff.status_code == 200 and draft_diff.headers["cache-control"] == "private, no-store"
    assert (await client.get(diff, params={"from": v1, "to": v2})).status_code == 401

    await submit(client, plan_id, v2, secretariat)
    await decide(runtime, APPROVED, plan_id, v2, 0)
    first = await client.get(diff, params={"from": v1, "to": v2})
    assert first.status_code == 200 and first.headers["cache-control"] == IMMUTABLE
    assert first.json()["from"]["version_id"] == v1 and first.json()["to"]["version_id"] == v2
    built = builds["diff"]
    again = await client.get(diff, params={"from": v1, "to": v2}, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and builds["diff"] == built
    assert (await client.get(diff, params={"from": v1, "to": v2}, headers=secretariat)).content == first.content
    assert builds["diff"] == built


async def test_the_plan_list_revalidates_and_its_etag_changes_after_an_approval(
    served, seeded, secretariat, idem, runtime
):
    client, app = served
    kept = kept_reads_of(app.state.runtime)
    now = [1000.0]
    kept.clock = lambda: now[0]
    plan_id = seeded["id"]

    first = await client.get("/api/v1/plans")
    assert first.status_code == 200 and first.headers["cache-control"] == "no-cache"
    assert first.headers["vary"] == "Authorization"
    etag = first.headers["etag"]
    assert (await client.get("/api/v1/plans", headers={"If-None-Match": etag})).status_code == 304
    privileged = await client.get("/api/v1/plans", headers=secretariat)
    assert privileged.headers["cache-control"] == "private, no-cache"

    # A write answered by this process shows in the next list at once.
    v2 = await revise(client, plan_id, secretariat, idem)
    revised = await client.get("/api/v1/plans", headers={"If-None-Match": etag})
    assert revised.status_code == 200 and revised.headers["etag"] != etag
    assert revised.json()["items"][0]["latest_version_id"] == v2
    await submit(client, plan_id, v2, secretariat)
    submitted = await client.get("/api/v1/plans")
    assert submitted.json()["items"][0]["latest_version_status"] == "submitted"

    # The approval arrives through the consumer (not this app): it shows once the kept list expires.
    await decide(runtime, APPROVED, plan_id, v2, 0)
    now[0] += kept.list_ttl + 0.01
    approved = await client.get("/api/v1/plans", headers={"If-None-Match": submitted.headers["etag"]})
    assert approved.status_code == 200 and approved.headers["etag"] != submitted.headers["etag"]
    assert approved.json()["items"][0]["approved_version_id"] == v2


async def test_the_export_answers_304_on_its_etag(served, seeded, secretariat):
    client, _ = served
    path = f"/api/v1/plans/{seeded['id']}/export"
    first = await client.get(path, headers=secretariat)
    assert first.status_code == 200 and first.headers["cache-control"] == "private, no-cache"
    again = await client.get(path, headers=secretariat | {"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def _served_count(metrics: str, route: str) -> float:
    """How many 200 GETs the registry counted under this route template (all tests share the registry)."""
    wanted = f'route="{route}"'
    return sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
               if "_count{" in line and wanted in line and 'status="200"' in line and 'service="plan-registry"' in line)


async def test_kept_answers_are_counted_under_their_route_in_the_metrics(served, seeded):
    client, _ = served
    path = document_path(seeded["id"], seeded["approved_version_id"])
    document, plans = "/api/v1/plans/{plan_id}/versions/{version_id}/document", "/api/v1/plans"
    before = (await client.get("/metrics")).text
    for _ in range(3):  # the first is routed and kept, the others answered before routing
        assert (await client.get(path)).status_code == 200
        assert (await client.get(plans)).status_code == 200
    after = (await client.get("/metrics")).text
    assert _served_count(after, document) - _served_count(before, document) == 3
    assert _served_count(after, plans) - _served_count(before, plans) == 3
