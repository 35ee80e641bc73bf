"""Every service's ``purge-idempotency-keys`` command forgets the keys past their retention and
keeps the recent ones, on PostgreSQL and SQLite."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import JSON, Integer, String, Table, Text, select

from dgplan_shared.cli import main
from dgplan_shared.db.engine import Database
from dgplan_shared.db.types import UtcDateTime, utcnow
from dgplan_shared.registry import installed_services
from dgplan_shared.testing.databases import migrated_database_url

SERVICES = installed_services()


def _row(table: Table, name: str, age: timedelta) -> dict[str, Any]:
    """A well-formed row whatever the table's shape (the stores differ per service)."""
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.name == "created_at":
            values[column.name] = utcnow() - age
        elif isinstance(column.type, UtcDateTime):
            values[column.name] = utcnow()
        elif isinstance(column.type, Integer):
            values[column.name] = 201
        elif isinstance(column.type, JSON):
            values[column.name] = {"id": name}
        elif isinstance(column.type, (String, Text)):
            values[column.name] = name[: column.type.length or 64]
    return values


async def _fill(url: str, tables: tuple[Table, ...]) -> None:
    db = Database.from_url(url)
    try:
        async with db.session() as session, session.begin():
            for table in tables:
                for i in range(3):
                    await session.execute(table.insert().values(**_row(table, f"old-{i}", timedelta(days=45))))
                await session.execute(table.insert().values(**_row(table, "yesterday", timedelta(days=1))))
    finally:
        await db.dispose()


async def _keys(url: str, table: Table) -> list[str]:
    db = Database.from_url(url)
    try:
        async with db.session() as session:
            return sorted((await session.scalars(select(table.c.key))).all())
    finally:
        await db.dispose()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@pytest.mark.parametrize("name", sorted(SERVICES))
def test_purge_forgets_keys_past_retention_and_keeps_recent_ones(name, backend, tmp_path, request, monkeypatch, capsys):
    definition = SERVICES[name]
    assert definition.idempotency_stores, f"{name} declares no idempotency store"
    server = request.getfixturevalue("postgres_server") if backend == "postgres" else None
    url = asyncio.run(migrated_database_url(definition.migrations, backend, postgres_server=server,
                                            directory=tmp_path, prefix=f"purge_{name.replace('-', '_')}"))
    asyncio.run(_fill(url, definition.idempotency_stores))
    prefix = definition.settings_type.model_config["env_prefix"]
    monkeypatch.setenv(f"{prefix}DATABASE_URL", url)
    monkeypatch.setenv(f"{prefix}LOG_LEVEL", "WARNING")

    assert main(definition, ["purge-idempotency-keys"]) == 0  # the default retention: 30 days
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report == {"older_than_days": 30, "deleted": {t.name: 3 for t in definition.idempotency_stores}}
    for table in definition.idempotency_stores:
        assert asyncio.run(_keys(url, table)) == ["yesterday"]

    # A shorter retention for one run, e.g. after an incident; the recent key goes too.
    assert main(definition, ["purge-idempotency-keys", "--older-than-days", "1"]) == 0
    for table in definition.idempotency_stores:
        assert asyncio.run(_keys(url, table)) == []


def test_the_retention_cannot_be_zero(capsys):
    definition = SERVICES["budget-ledger"]
    with pytest.raises(SystemExit) as refused:
        main(definition, ["purge-idempotency-keys", "--older-than-days", "0"])
    assert refused.value.code == 2 and "at least 1" in capsys.readouterr().err


def test_every_idempotency_store_of_every_service_is_purged():
    """A new store must be declared, or its keys would never be forgotten."""
    for name, definition in SERVICES.items():
        declared = {t.name for t in definition.idempotency_stores}
        stores = {t.name for t in definition.metadata.tables.values() if "idempotency" in t.name}
        assert stores == declared, name
        assert all("created_at" in definition.metadata.tables[t].c for t in declared), name
