"""Fresh migrated databases for tests: a new SQLite file or a new PostgreSQL database each time."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from dgplan_shared.db.engine import Database, build_engine
from dgplan_shared.db.migrations import upgrade


async def create_postgres_database(server_url: str, prefix: str = "t") -> str:
    """CREATE DATABASE with a unique name on the server; returns its SQLAlchemy URL."""
    url = make_url(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}".replace("-", "_")
    conn = await asyncpg.connect(
        user=url.username, password=url.password, host=url.host, port=url.port, database=url.database or "postgres"
    )
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
    finally:
        await conn.close()
    return url.set(database=name).render_as_string(hide_password=False)


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
