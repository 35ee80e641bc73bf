"""Migration 0005 moves monitoring's Idempotency-Key rows into the shared table shape, so a retry
in flight during the upgrade still gets its first answer: the same report, not a second one."""

import asyncio
import hashlib
from datetime import datetime, timezone

import orjson
import sqlalchemy as sa

from dgplan_shared.bus.memory import InMemoryBus
from dgplan_shared.db.engine import build_engine
from dgplan_shared.db.migrations import downgrade, upgrade
from dgplan_shared.service import create_service_app
from dgplan_shared.testing.clients import asgi_client, identity_headers
from monitoring.api.schemas import ProgressReportIn
from monitoring.adapters.tables import idempotency, progress_reports
from monitoring.definition import definition
from monitoring.settings import Settings

BODY = {"project_id": "p1", "fiscal_year": 2565, "quarter": 1, "percent_complete": "25"}
FIRST_ANSWER = {"report_id": "r-first", "project_id": "p1", "revision": 1, "note": "ส่งแล้ว"}

OLD = sa.table(
    "idempotency_keys", sa.column("scope", sa.String), sa.column("subject", sa.String), sa.column("key", sa.String),
    sa.column("request_hash", sa.String), sa.column("status_code", sa.Integer), sa.column("response", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def fingerprint(body: dict) -> str:
    # How monitoring's own store hashed a request: the parsed body, keys sorted.
    dumped = ProgressReportIn(**body).model_dump(mode="json")
    return hashlib.sha256(orjson.dumps(dumped, option=orjson.OPT_SORT_KEYS)).hexdigest()


async def test_keys_move_to_the_shared_shape_and_a_retry_is_replayed(fresh_database_url):
    url = await fresh_database_url()
    await asyncio.to_thread(downgrade, "monitoring:migrations", url, "0004")
    engine = build_engine(url, pool_size=1)
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    try:
        async with engine.begin() as conn:
            await conn.execute(OLD.insert(), [
                {"scope": "progress-reports.submit", "subject": "mof", "key": "k1", "request_hash": fingerprint(BODY),
                 "status_code": 201, "response": FIRST_ANSWER, "created_at": now},
                {"scope": "indicator-actuals.i-9", "subject": "dga", "key": "k2", "request_hash": "h",
                 "status_code": 201, "response": {"actual_id": "a1"}, "created_at": now},
                {"scope": "retired.operation", "subject": "dga", "key": "k3", "request_hash": "h",
                 "status_code": 201, "response": {}, "created_at": now},
            ])
        await asyncio.to_thread(upgrade, "monitoring:migrations", url, "head")
        async with engine.connect() as conn:
            rows = {r.scope: r for r in (await conn.execute(sa.select(idempotency))).all()}
        assert set(rows) == {"mof|POST /api/v1/monitoring/progress-reports",
                             "dga|POST /api/v1/monitoring/indicators/i-9/actuals"}
        assert orjson.loads(rows["mof|POST /api/v1/monitoring/progress-reports"].response) == FIRST_ANSWER
    finally:
        await engine.dispose()

    settings = Settings(database_url=url, bus="memory")
    app = create_service_app(definition(), settings, bus=InMemoryBus())
    headers = identity_headers(settings, subject="mof", roles=["agency"], agency="MOF")
    async with asgi_client(app) as client:
        retry = await client.post("/api/v1/monitoring/progress-reports", json=BODY,
                                  headers={**headers, "Idempotency-Key": "k1"})
        reused = await client.post("/api/v1/monitoring/progress-reports", json={**BODY, "quarter": 2},
                                   headers={**headers, "Idempotency-Key": "k1"})
    assert (retry.status_code, retry.json(), retry.headers.get("idempotent-replayed")) == (201, FIRST_ANSWER, "true")
    assert reused.status_code == 422 and "Idempotency-Key" in reused.text
    engine = build_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            assert (await conn.scalar(sa.select(sa.func.count()).select_from(progress_reports))) == 0
    finally:
        await engine.dispose()


async def test_downgrade_restores_the_old_shape_with_its_rows(fresh_database_url):
    url = await fresh_database_url()
    engine = build_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(idempotency.insert().values(
                scope="mof|POST /api/v1/monitoring/indicators", key="k1", request_hash="h", status_code=201,
                response='{"indicator_id":"i1"}', created_at=datetime(2026, 12, 1, tzinfo=timezone.utc)))
        await asyncio.to_thread(downgrade, "monitoring:migrations", url, "0004")
        async with engine.connect() as conn:
            rows = (await conn.execute(sa.select(OLD.c.scope, OLD.c.subject, OLD.c.key, OLD.c.response))).all()
        assert [tuple(r) for r in rows] == [("indicators.create", "mof", "k1", {"indicator_id": "i1"})]
    finally:
        await engine.dispose()
