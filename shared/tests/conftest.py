import sys
from pathlib import Path

import pytest

# The probe service lives beside the tests, not in an installed package.
sys.path.insert(0, str(Path(__file__).parent))

from dgplan_shared.testing.databases import migrated_database_url  # noqa: E402


@pytest.fixture
def probe_database(tmp_path, request):  # type: ignore[no-untyped-def]
    """Factory: a fresh migrated probe database on 'sqlite' or 'postgres'."""

    async def make(backend: str) -> str:
        server = request.getfixturevalue("postgres_server") if backend == "postgres" else None
        return await migrated_database_url(
            "probe_service:migrations", backend, postgres_server=server, directory=tmp_path, prefix="probe"
        )

    return make
