"""Fixtures every service's tests use, installed into its conftest with one call::

    from dgplan_shared.testing.service_fixtures import install_service_fixtures
    from plan_registry.definition import definition
    install_service_fixtures(globals(), definition)

Provides ``backend`` (each test runs on SQLite and on PostgreSQL), ``database_url`` (migrated once
per session and backend), ``db`` (rolled back after each test), ``bus`` (in-memory),
``settings``, ``runtime``, ``client`` (httpx over ASGI with the lifespan running) and ``identity``
(headers the gateway would forward for given roles and scopes). ``fresh_database_url`` makes a
new migrated database for tests that need real commits (concurrency, relays, consumers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from dgplan_shared.bus.memory import InMemoryBus
from dgplan_shared.service import ServiceDefinition, build_runtime, create_service_app
from dgplan_shared.testing.clients import asgi_client, identity_headers
from dgplan_shared.testing.databases import migrated_database_url, rollback_database


def install_service_fixtures(namespace: dict[str, Any], definition_factory: Callable[[], ServiceDefinition]) -> None:
    definition = definition_factory()
    slug = definition.name.replace("-", "_")

    @pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
    def backend(request: pytest.FixtureRequest) -> str:
        return request.param

    async def _fresh(backend_name: str, request: pytest.FixtureRequest, directory) -> str:  # type: ignore[no-untyped-def]
        server = request.getfixturevalue("postgres_server") if backend_name == "postgres" else None
        return await migrated_database_url(
            definition.migrations, backend_name, postgres_server=server, directory=directory, prefix=slug
        )

    @pytest.fixture(scope="session")
    async def database_url(backend: str, request: pytest.FixtureRequest, tmp_path_factory) -> str:  # type: ignore[no-untyped-def]
        return await _fresh(backend, request, tmp_path_factory.mktemp(slug))

    @pytest.fixture
    def fresh_database_url(backend: str, request: pytest.FixtureRequest, tmp_path):  # type: ignore[no-untyped-def]
        async def make() -> str:
            return await _fresh(backend, request, tmp_path)

        return make

    @pytest.fixture
    async def db(database_url: str):  # type: ignore[no-untyped-def]
        async with rollback_database(database_url) as database:
            yield database

    @pytest.fixture
    def bus() -> InMemoryBus:
        return InMemoryBus()

    @pytest.fixture
    def settings(database_url: str):  # type: ignore[no-untyped-def]
        return definition.settings_type(database_url=database_url, bus="memory")

    @pytest.fixture
    def runtime(settings, db, bus):  # type: ignore[no-untyped-def]
        return build_runtime(definition_factory(), settings, db, bus)

    @pytest.fixture
    async def client(settings, db, bus):  # type: ignore[no-untyped-def]
        app = create_service_app(definition_factory(), settings, db=db, bus=bus)
        async with asgi_client(app) as http:
            yield http

    @pytest.fixture
    def identity(settings):  # type: ignore[no-untyped-def]
        def headers(
            *roles: str,
            agency: str | None = None,
            bodies: Iterable[str] = (),
            subject: str = "tester",
            offices: Iterable[str] = (),
        ) -> dict[str, str]:
            return identity_headers(
                settings, subject=subject, roles=roles, agency=agency, bodies=bodies, offices=offices
            )

        return headers

    namespace.update(
        backend=backend,
        database_url=database_url,
        fresh_database_url=fresh_database_url,
        db=db,
        bus=bus,
        settings=settings,
        runtime=runtime,
        client=client,
        identity=identity,
    )
