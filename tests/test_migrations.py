"""Every installed service: ``alembic upgrade head`` on empty PostgreSQL and SQLite, no drift
between its models and its migrations, and a clean downgrade to base."""

import asyncio

import pytest
from sqlalchemy import inspect

from dgplan_shared.db.engine import build_engine
from dgplan_shared.db.migrations import downgrade, drift
from dgplan_shared.registry import installed_services
from dgplan_shared.testing.databases import migrated_database_url

SERVICES = installed_services()


def test_all_five_services_are_installed():
    assert set(SERVICES) == {"plan-registry", "budget-ledger", "monitoring", "notifications", "gateway"}


async def _tables(url: str) -> set[str]:
    engine = build_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@pytest.mark.parametrize("name", sorted(SERVICES))
async def test_migrations_reach_head_without_drift_and_go_back_down(name, backend, tmp_path, request):
    definition = SERVICES[name]
    server = request.getfixturevalue("postgres_server") if backend == "postgres" else None
    url = await migrated_database_url(
        definition.migrations, backend, postgres_server=server, directory=tmp_path, prefix=name.replace("-", "_")
    )
    tables = await _tables(url)
    assert {"outbox", "inbox", "alembic_version"} <= tables
    assert set(definition.metadata.tables) <= tables
    differences = await drift(definition.metadata, url)
    assert differences == [], f"models and migrations of {name} differ: {differences}"
    await asyncio.to_thread(downgrade, definition.migrations, url, "base")
    assert await _tables(url) <= {"alembic_version"}
