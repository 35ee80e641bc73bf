"""Migration 0005 moves the edge's own Idempotency-Key rows into the shared table: a client
creation or secret rotation whose retry is in flight during the upgrade still gets its first
answer (the same client and the same secret), the stored answer holds a salt and never the
secret, and a downgrade puts the rows back."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta

import orjson
import pytest
import sqlalchemy as sa

from dgplan_shared.bus.memory import InMemoryBus
from dgplan_shared.db.engine import Database
from dgplan_shared.db.migrations import downgrade, upgrade
from dgplan_shared.db.provisioning import create_postgres_database
from dgplan_shared.db.types import UtcDateTime, utcnow
from dgplan_shared.service import create_service_app
from dgplan_shared.testing.clients import asgi_client
from dgplan_shared.testing.databases import sqlite_url
from gateway.definition import definition
from gateway.edge.domain.secrets_hashing import derive_secret, hash_secret

SCRIPTS = definition().migrations
CREATED = {"client_id": "mof-erp", "name": "MOF ERP", "roles": ["agency"], "agency": "MOF"}

old_keys = sa.table(
    "edge_idempotency",
    sa.column("principal", sa.String), sa.column("key", sa.String), sa.column("operation", sa.String),
    sa.column("fingerprint", sa.String), sa.column("resource_id", sa.String), sa.column("secret_salt", sa.String),
    sa.column("created_at", UtcDateTime()),
)
clients = sa.table(
    "edge_clients",
    sa.column("client_id", sa.String), sa.column("name", sa.String), sa.column("secret_hash", sa.String),
    sa.column("roles", sa.String), sa.column("agency", sa.String), sa.column("active", sa.Boolean),
    sa.column("version", sa.Integer), sa.column("created_at", UtcDateTime()), sa.column("updated_at", UtcDateTime()),
)


def _fingerprint(operation: str, payload: object) -> str:
    """How the edge's own store fingerprinted a request before 0005."""
    return hashlib.sha256(operation.encode() + b"\0" + orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


@pytest.fixture
async def database_at_0004(backend, request, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if backend == "postgres":
        url = await create_postgres_database(request.getfixturevalue("postgres_server"), "gwmig")
    else:
        url = sqlite_url(tmp_path, "gwmig")
    await asyncio.to_thread(upgrade, SCRIPTS, url, "0004")
    return url


async def _execute(url: str, *statements: sa.Executable) -> list[sa.Row]:
    db = Database.from_url(url)
    try:
        async with db.engine.begin() as connection:
            rows: list[sa.Row] = []
            for statement in statements:
                result = await connection.execute(statement)
                if result.returns_rows:
                    rows.extend(result.all())
            return rows
    finally:
        await db.dispose()


async def test_a_retry_in_flight_during_the_upgrade_gets_the_same_client_and_secret(
    database_at_0004, settings, bearer, echo_upstreams
):
    url = database_at_0004
    server_key = settings.internal_auth_secret.get_secret_value()
    now = utcnow()
    await _execute(
        url,
        sa.insert(clients).values(
            client_id="mof-erp", name="MOF ERP", secret_hash=hash_secret(derive_secret(server_key, "ab" * 16)),
            roles="agency", agency="MOF", active=True, version=1, created_at=now, updated_at=now,
        ),
        sa.insert(old_keys).values(
            principal="ops", key="create-1", operation="create-client",
            fingerprint=_fingerprint("create-client", CREATED), resource_id="mof-erp", secret_salt="ab" * 16, created_at=now - timedelta(minutes=1),
        ),
        sa.insert(old_keys).values(
            principal="ops", key="rotate-1", operation="rotate-secret",
            fingerprint=_fingerprint("rotate-secret", {"client_id": "mof-erp"}), resource_id="mof-erp",
            secret_salt="cd" * 16, created_at=now,
        ),
        # Answered a request naming another name than the client now has: no retry can match it.
        sa.insert(old_keys).values(
            principal="ops", key="stale", operation="create-client",
            fingerprint=_fingerprint("create-client", {**CREATED, "name": "Renamed since"}), resource_id="mof-erp",
            secret_salt="ef" * 16, created_at=now,
        ),
    )
    await asyncio.to_thread(upgrade, SCRIPTS, url)

    stored = await _execute(url, sa.text("SELECT scope, key, status_code, response FROM idempotency_keys ORDER BY key"))
    assert [(r.scope, r.key, r.status_code) for r in stored] == [
        ("ops|POST /api/v1/admin/clients", "create-1", 201),
        ("ops|POST /api/v1/admin/clients/mof-erp/secret", "rotate-1", 200),
    ]
    for row in stored:
        assert derive_secret(server_key, "ab" * 16) not in row.response
        assert derive_secret(server_key, "cd" * 16) not in row.response
        assert "secret_salt" in orjson.loads(row.response)

    app = create_service_app(definition(), settings.model_copy(update={"database_url": url}),
                             db=Database.from_url(url), bus=InMemoryBus(),
                             extras={"upstream_apps": echo_upstreams()})
    async with asgi_client(app) as client:
        operator = await bearer(app.state.runtime, "operator", subject="ops")
        retry = {**operator, "Idempotency-Key": "create-1"}
        again = await client.post("/api/v1/admin/clients", json=CREATED, headers=retry)
        assert again.status_code == 200, again.text
        assert again.json()["client_secret"] == derive_secret(server_key, "ab" * 16)
        rotated = await client.post(
            "/api/v1/admin/clients/mof-erp/secret", headers={**operator, "Idempotency-Key": "rotate-1"}
        )
        assert rotated.status_code == 200 and rotated.json()["client_secret"] == derive_secret(server_key, "cd" * 16)
        assert rotated.headers["idempotent-replayed"] == "true"
    await app.state.runtime.db.dispose()

    await asyncio.to_thread(downgrade, SCRIPTS, url, "0004")
    back = await _execute(url, sa.select(old_keys).order_by(old_keys.c.key))
    assert [(r.principal, r.key, r.operation, r.secret_salt) for r in back] == [
        ("ops", "create-1", "create-client", "ab" * 16),
        ("ops", "rotate-1", "rotate-secret", "cd" * 16),
    ]
    assert back[0].fingerprint == _fingerprint("create-client", CREATED)
