"""``pg_dump`` (custom format) of a service's database and ``pg_restore`` of it into another cluster,
with the same PostgreSQL 15 client binaries the private test cluster runs on."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from dgplan_shared.testing.infra import pg_bindir


@dataclass(frozen=True)
class Dump:
    service: str
    database: str
    file: Path
    # Wall-clock time pg_dump was launched: its snapshot is taken just after, so every write
    # acknowledged before this instant is in the dump (the recovery point).
    started_at: float
    seconds: float
    size_bytes: int


def _libpq(url: str) -> tuple[list[str], dict[str, str]]:
    """Connection options and environment for the libpq tools: the password stays out of argv."""
    u = make_url(url)
    args = ["--host", u.host or "127.0.0.1", "--port", str(u.port or 5432), "--username", u.username or ""]
    return args, {**os.environ, "PGPASSWORD": u.password or "", "PGCONNECT_TIMEOUT": "10"}


def _run(argv: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"{Path(argv[0]).name} exited with {result.returncode}: {result.stderr.strip()}")


def dump_database(service: str, url: str, target_dir: Path) -> Dump:
    database = make_url(url).database or ""
    file = target_dir / f"{database}.dump"
    args, env = _libpq(url)
    started_at, started = time.time(), time.monotonic()
    _run([str(pg_bindir() / "pg_dump"), *args, "--format=custom", "--no-owner", f"--file={file}", database], env)
    return Dump(service, database, file, started_at, round(time.monotonic() - started, 2), file.stat().st_size)


async def restore_database(server_url: str, dump: Dump) -> str:
    """Create the dump's database on ``server_url`` (empty, as on a fresh cluster), restore into it,
    and return the service's URL on that server."""
    server = make_url(server_url)
    conn = await asyncpg.connect(user=server.username, password=server.password, host=server.host,
                                 port=server.port, database=server.database or "postgres")
    try:
        await conn.execute(f'CREATE DATABASE "{dump.database}" TEMPLATE template0 ENCODING \'UTF8\'')
    finally:
        await conn.close()
    url = server.set(database=dump.database).render_as_string(hide_password=False)
    args, env = _libpq(url)
    _run([str(pg_bindir() / "pg_restore"), *args, "--no-owner", "--exit-on-error", "--single-transaction",
          f"--dbname={dump.database}", str(dump.file)], env)
    return url


async def drop_database(server_url: str, database: str) -> None:
    """The lost cluster's copy, once the drill has measured what it held that the dump did not."""
    server = make_url(server_url)
    conn = await asyncpg.connect(user=server.username, password=server.password, host=server.host,
                                 port=server.port, database=server.database or "postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await conn.close()
