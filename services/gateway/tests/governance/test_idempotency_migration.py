"""Migration 0005 moves the engine's Idempotency-Keys into the shared store: a vote answered
before the upgrade is answered the same way when its client retries after it."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest
from sqlalchemy import inspect, text

from dgplan_shared.db.engine import build_engine
from dgplan_shared.db.migrations import upgrade
from dgplan_shared.db.provisioning import create_postgres_database
from dgplan_shared.service import create_service_app
from dgplan_shared.testing.clients import asgi_client
from dgplan_shared.testing.databases import sqlite_url
from gateway.definition import definition
from gateway.edge.application.bearer_tokens import issue_token
from gateway.edge.domain.tokens import ClientGrant
from gateway.edge.state import edge_state
from gateway.governance.domain.audit_chain import canonical, sha256
from gateway.settings import Settings

INSTANCE = "0b7e4c52-0000-4000-8000-000000000001"
VOTE = {"choice": "propose", "reason": "สอดคล้องกับยุทธศาสตร์", "observations": [], "stage": None}
ANSWER = {
    "vote": {"voter": "demo-dgc-member-1", "choice": "propose", "reason": VOTE["reason"], "stage": "committee"},
    "tally": {"decided": False, "decision": None, "why": "open", "cast": 1, "quorum": 2, "counts": {"propose": 1}},
    "instance": {"id": INSTANCE, "stage": "committee", "status": "active"},
}


async def _database_at_0004(backend: str, request: pytest.FixtureRequest, tmp_path) -> str:
    if backend == "postgres":
        url = await create_postgres_database(request.getfixturevalue("postgres_server"), "gov_idem")
    else:
        url = sqlite_url(tmp_path, "gov_idem")
    await asyncio.to_thread(upgrade, "gateway:migrations", url, "0004")
    return url


async def _execute(url: str, statement: str, **values) -> list:
    engine = build_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(text(statement), values)
            return list(result) if result.returns_rows else []
    finally:
        await engine.dispose()


async def _tables(url: str) -> set[str]:
    engine = build_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def test_a_vote_recorded_before_the_upgrade_replays_after_it(backend, request, tmp_path):
    url = await _database_at_0004(backend, request, tmp_path)
    # What the engine's own store kept for a vote answered before the upgrade.
    fingerprint = sha256(canonical({"scope": f"vote:{INSTANCE}", "request": VOTE}))
    await _execute(
        url,
        "INSERT INTO gov_idempotency (subject, key, fingerprint, status_code, response, created_at) "
        "VALUES (:subject, :key, :fingerprint, 201, :response, :at)",
        subject="demo-dgc-member-1", key="vote-1", fingerprint=fingerprint,
        response=canonical(ANSWER).decode(), at=datetime(2026, 12, 1, tzinfo=timezone.utc),
    )
    await asyncio.to_thread(upgrade, "gateway:migrations", url)
    assert "gov_idempotency" not in await _tables(url)
    copied = await _execute(url, "SELECT scope, key, status_code FROM idempotency_keys")
    assert [tuple(r) for r in copied] == [
        (f"demo-dgc-member-1|POST /api/v1/governance/instances/{INSTANCE}/votes", "vote-1", 201)]

    settings = Settings(database_url=url, bus="memory", membership_cache_seconds=0)
    app = create_service_app(definition(), settings, extras={"upstream_apps": {}})
    async with asgi_client(app) as client:
        edge = edge_state(app.state.runtime)
        token, _ = await issue_token(edge.keys, edge.settings, ClientGrant("demo-dgc-member-1", ("body_member",), None), "http://testserver")
        url_path = f"/api/v1/governance/instances/{INSTANCE}/votes"
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "vote-1"}
        retry = await client.post(url_path, json={"choice": "propose", "reason": VOTE["reason"]}, headers=headers)
        assert retry.status_code == 201, retry.text
        assert retry.json() == ANSWER and retry.headers["idempotent-replayed"] == "true"
        other = await client.post(url_path, json={"choice": "propose", "reason": "another"}, headers=headers)
        assert other.status_code == 422 and other.json()["type"] == "urn:dgplan:problem:idempotency-key-reused"
