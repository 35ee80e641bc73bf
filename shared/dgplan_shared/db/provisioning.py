"""Creating a service's PostgreSQL database on a server (the distributed topology, tests)."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy.engine import make_url


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
