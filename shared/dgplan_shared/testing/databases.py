"""Fresh migrated databases for tests: a new SQLite file or a new PostgreSQL database each time."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path


from dgplan_shared.db.engine import Database, build_engine
from dgplan_shared.db.migrations import upgrade
from dgplan_shared.db.provisioning import create_postgres_database


def sqlite_url(directory: Path, prefix: str = "t") -> str:
    return f"sqlite+aiosqlite:///{directory / f'{prefix}_{uuid.uuid4().hex[:12]}.db'}"


async def migrated_database_url(
    script_location: str, backend: str, *, postgres_server: str | None, directory: Path, prefix: str
) -> str:
    if backend == "postgres":
        if not postgres_server:
            raise RuntimeError("no PostgreSQL server")
        url = await create_postgres_database(postgres_server, prefix)
    else:
        url = sqlite_url(directory, prefix)
    # Alembic's env.py runs its own event loop: keep it off ours.
    await asyncio.to_thread(upgrade, script_location, url)
    return url


@asynccontextmanager
async def rollback_database(url: str) -> AsyncIterator[Database]:
    """A Database whose every session joins one outer transaction that is rolled back at the end.

    Use-case commits release savepoints only, so each test sees its own writes and leaves nothing.
    One connection serves the test: for concurrency tests use a fresh database instead.
    """
    engine = build_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            transaction = await connection.begin()
            try:
                yield Database(engine, owns_engine=False, bind=connection)
            finally:
                await transaction.rollback()
    finally:
        await engine.dispose()
