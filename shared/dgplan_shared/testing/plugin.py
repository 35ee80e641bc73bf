"""pytest plugin (registered through the ``pytest11`` entry point of dgplan-shared).

Real infrastructure comes from ``make test`` (``DGPLAN_TEST_POSTGRES_URL``,
``DGPLAN_TEST_KAFKA_BOOTSTRAP``) or is started here on demand. When it cannot be had, the test
is skipped locally but FAILS under ``CI=true``: missing infrastructure never passes silently.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from dgplan_shared.testing.infra import InfraUnavailable, KafkaBroker, PostgresCluster

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_infra(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"required infrastructure missing in CI: {reason}", pytrace=False)
    pytest.skip(f"infrastructure missing: {reason}")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: needs a real PostgreSQL server")
    config.addinivalue_line("markers", "kafka: needs a real Apache Kafka broker")
    config.addinivalue_line("markers", "slow: long-running (fault injection, soak)")


@pytest.fixture(scope="session")
def infra_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="dgplan-test-") as d:
        # Run as root, PostgreSQL runs as the 'postgres' user, which must reach its data directory.
        os.chmod(d, 0o755)
        yield Path(d)


@pytest.fixture(scope="session")
def postgres_server(infra_dir: Path) -> Iterator[str]:
    """URL of a PostgreSQL server's maintenance database (create test databases on it)."""
    url = os.environ.get("DGPLAN_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    cluster = PostgresCluster(infra_dir / "pg")
    try:
        url = cluster.start()
    except (InfraUnavailable, OSError, Exception) as exc:  # noqa: BLE001 - report why
        require_infra(f"PostgreSQL: {exc}")
    try:
        yield url
    finally:
        cluster.stop("immediate")


@pytest.fixture(scope="session")
def kafka_broker(infra_dir: Path) -> Iterator[KafkaBroker]:
    """The session's broker; tests that kill it must restart it before they end."""
    bootstrap = os.environ.get("DGPLAN_TEST_KAFKA_BOOTSTRAP")
    kafka_dir = os.environ.get("DGPLAN_TEST_KAFKA_DIR")
    if bootstrap and kafka_dir:
        broker = KafkaBroker(Path(kafka_dir), port=int(bootstrap.rsplit(":", 1)[1]))
        yield broker
        return
    broker = KafkaBroker(infra_dir / "kafka")
    try:
        broker.start()
    except (InfraUnavailable, OSError, Exception) as exc:  # noqa: BLE001
        require_infra(f"Kafka: {exc}")
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture(scope="session")
def kafka_bootstrap(kafka_broker: KafkaBroker) -> str:
    return kafka_broker.bootstrap
