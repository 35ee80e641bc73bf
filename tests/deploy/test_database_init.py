"""The PostgreSQL init script that compose and the dev cluster run, run for real against a private,
empty PostgreSQL cluster: a database and an owning role per service, each service's migrations
succeed as that role (PostgreSQL 15 no longer lets any role create in ``public``), and a service's
role cannot even connect to another service's database."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from deploy_support import K8S

from dgplan_shared.db.migrations import upgrade
from dgplan_shared.testing.infra import InfraUnavailable, PostgresCluster
from dgplan_shared.testing.plugin import require_infra

pytestmark = pytest.mark.postgres

SCRIPT = K8S / "components" / "dev-infra" / "postgres" / "create-databases.sh"


@pytest.fixture(scope="module")
def empty_cluster() -> Iterator[PostgresCluster]:
    """A fresh cluster of our own: the script creates cluster-wide roles, which must not land on
    the PostgreSQL server other tests share."""
    if shutil.which("psql") is None:
        require_infra("psql (PostgreSQL client) is not installed")
    base = Path(tempfile.mkdtemp(prefix="dgplan-deploy-pg-"))
    os.chmod(base, 0o755)  # the server may run as the 'postgres' user when the tests run as root
    cluster = PostgresCluster(base / "pg")
    try:
        cluster.start()
    except (InfraUnavailable, OSError, subprocess.CalledProcessError) as exc:
        require_infra(f"PostgreSQL: {exc}")
    try:
        yield cluster
    finally:
        cluster.stop("immediate")
        shutil.rmtree(base, ignore_errors=True)


def _env(cluster: PostgresCluster, passwords: dict[str, str]) -> dict[str, str]:
    return {
        **os.environ,
        "POSTGRES_USER": cluster.user,
        "PGPASSWORD": cluster.password,
        "PGHOST": "127.0.0.1",
        "PGPORT": str(cluster.port),
        **{f"PG_PASSWORD_{db.upper()}": password for db, password in passwords.items()},
    }


def _psql(cluster: PostgresCluster, user: str, password: str, database: str, sql: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PGPASSWORD": password}
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", user, "-d", database, "-tAc", sql],
        capture_output=True, text=True, env=env, timeout=30, check=False,
    )


def test_a_missing_password_stops_the_init_before_anything_is_created(empty_cluster, settings_types):
    databases = [name.replace("-", "_") for name in settings_types]
    passwords = {db: secrets.token_hex(12) for db in databases[:-1]}  # the last one is missing
    result = subprocess.run(["sh", str(SCRIPT)], env=_env(empty_cluster, passwords) | {
        f"PG_PASSWORD_{databases[-1].upper()}": ""}, capture_output=True, text=True, timeout=60, check=False)
    # The first databases were created before the missing one was noticed: the image runs init
    # scripts only on an empty data directory and aborts initialisation on failure, so a retry
    # starts from scratch. Here, clean up what it made for the next test.
    assert result.returncode != 0 and "is not set" in result.stderr
    for db in databases[:-1]:
        for sql in (f'DROP DATABASE IF EXISTS "{db}"', f'DROP ROLE IF EXISTS "{db}"'):
            dropped = _psql(empty_cluster, empty_cluster.user, empty_cluster.password, "postgres", sql)
            assert dropped.returncode == 0, dropped.stderr


def test_each_service_gets_its_own_database_and_migrates_in_it(empty_cluster, settings_types):
    from dgplan_shared.registry import installed_services

    databases = {name: name.replace("-", "_") for name in settings_types}
    passwords = {db: secrets.token_hex(12) for db in databases.values()}
    result = subprocess.run(["sh", str(SCRIPT)], env=_env(empty_cluster, passwords),
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr

    definitions = installed_services()
    for service, db in databases.items():
        owner = _psql(empty_cluster, db, passwords[db], db, "SELECT current_user, current_database()")
        assert owner.returncode == 0 and owner.stdout.strip() == f"{db}|{db}", owner.stderr
        url = f"postgresql+asyncpg://{db}:{passwords[db]}@127.0.0.1:{empty_cluster.port}/{db}"
        upgrade(definitions[service].migrations, url)
        tables = _psql(empty_cluster, db, passwords[db], db, "SELECT count(*) FROM outbox")
        assert tables.returncode == 0, tables.stderr

    # Isolation: one service's role cannot connect to another service's database.
    names = list(databases.values())
    for db, other in zip(names, names[1:] + names[:1]):
        refused = _psql(empty_cluster, db, passwords[db], other, "SELECT 1")
        assert refused.returncode != 0 and "permission denied" in refused.stderr
