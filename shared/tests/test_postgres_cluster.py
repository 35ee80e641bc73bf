"""The private PostgreSQL cluster the tests start: with ``durable_commits`` an acknowledged commit
survives an immediate (crash) stop, which the fault-injection suite relies on."""

import asyncpg

from dgplan_shared.testing.infra import InfraUnavailable, PostgresCluster
from dgplan_shared.testing.plugin import require_infra


async def _fetch(url: str, query: str):  # type: ignore[no-untyped-def]
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return await conn.fetch(query)
    finally:
        await conn.close()


async def _execute(url: str, script: str) -> None:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(script)
    finally:
        await conn.close()


async def test_a_durable_cluster_keeps_acknowledged_commits_through_a_crash_stop(infra_dir):
    cluster = PostgresCluster(infra_dir / "durable-pg", durable_commits=True)
    try:
        url = cluster.start()
    except (InfraUnavailable, OSError, Exception) as exc:  # noqa: BLE001 - report why
        require_infra(f"PostgreSQL: {exc}")
    try:
        assert (await _fetch(url, "SHOW synchronous_commit"))[0][0] == "on"
        await _execute(url, "CREATE TABLE acknowledged (n int); INSERT INTO acknowledged SELECT generate_series(1, 500)")
        cluster.stop("immediate")
        cluster.start()
        assert (await _fetch(url, "SELECT count(*) FROM acknowledged"))[0][0] == 500
    finally:
        cluster.stop("immediate")
