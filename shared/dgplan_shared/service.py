"""What a service declares about itself, and the app/relay/consumer built from that declaration."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from sqlalchemy import MetaData, Table

from dgplan_shared.bus import Bus, build_bus
from dgplan_shared.consumer import EventHandlers, InboxConsumer
from dgplan_shared.db.engine import Database
from dgplan_shared.db.idempotency import IdempotencyStore
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.health import health_router
from dgplan_shared import tracing
from dgplan_shared.http import RequestContextMiddleware
from dgplan_shared.web.body_limits import BodyShapeMiddleware
from dgplan_shared.web.etags import ConditionalGetMiddleware
from dgplan_shared import openapi_conventions
from dgplan_shared.problems import install_problem_handlers
from dgplan_shared.relay import OutboxRelay
from dgplan_shared.settings import ServiceSettings

# A service's own command (``dgplan-<service> <name> [args]``): given the runtime the shared CLI built
# from the definition (and closes afterwards), so commands never import the definition back.
Command = Callable[["Runtime", list[str]], Awaitable[int]]
Daemon = Callable[["Runtime", asyncio.Event], Awaitable[None]]


@dataclass
class ServiceDefinition:
    name: str  # "plan-registry": event source, topic prefix, consumer group
    title: str
    settings_type: type[ServiceSettings]
    metadata: MetaData
    outbox: Table
    inbox: Table
    migrations: str  # Alembic script location, e.g. "plan_registry:migrations"
    routers: Callable[[], Sequence[APIRouter]] = lambda: ()
    handlers: EventHandlers = field(default_factory=EventHandlers)
    subscriptions: Sequence[str] = ()  # logical topics this service consumes
    commands: dict[str, Command] = field(default_factory=dict)  # extra CLI commands
    # Long-running loops besides API, relay and consumer (e.g. a deadline scheduler): each is a CLI
    # command and a process of the distributed topology, and a task of the embedded suite.
    daemons: dict[str, Daemon] = field(default_factory=dict)
    on_startup: Callable[[Runtime], Awaitable[None]] | None = None
    # Run only by the embedded default (``make run``): seed data, demo clients. Distributed
    # deployments run the equivalent as explicit commands or Jobs.
    embedded_setup: Callable[[Runtime], Awaitable[None]] | None = None
    # Extra wiring of the app after the common parts (the gateway adds its edge middleware here).
    configure_app: Callable[[FastAPI], None] | None = None
    # The service's Idempotency-Key table (``dgplan_shared.db.idempotency.idempotency_table``), used
    # by the command pipeline; the built-in ``purge-idempotency-keys`` command forgets keys past their
    # retention in it and in ``idempotency_tables`` (older, service-specific stores being retired).
    idempotency: Table | None = None
    idempotency_tables: tuple[Table, ...] = ()
    # Request media types the API reads besides JSON (e.g. multipart uploads); others get a 415.
    other_media_types: frozenset[str] = frozenset()
    description: str = ""
    version: str = "0.1.0"
    # Where the service stands among the installed ones: the embedded runner and the distributed
    # topology start them in this order (producers before the gateway that fronts them).
    start_order: int = 50
    # The API's port in the fixed-port distributed topology (``make distributed``); 0 picks a free one.
    default_port: int = 0
    # Paths this service's app answers at the embedded server's one address, in front of the gateway
    # (the console's pages): "/" matches exactly, any other entry also everything below it.
    serves_paths: tuple[str, ...] = ()
    # The front door (one per installation): it is handed the other services' apps (embedded) or
    # URLs (distributed) as its upstreams, and the one public address answers through it.
    fronts_services: bool = False

    @property
    def consumer_group(self) -> str:
        return self.name

    @property
    def idempotency_stores(self) -> tuple[Table, ...]:
        return ((self.idempotency,) if self.idempotency is not None else ()) + tuple(self.idempotency_tables)


@dataclass
class Runtime:
    """Everything a request, relay or consumer needs; lives on ``app.state.runtime``."""

    definition: ServiceDefinition
    settings: ServiceSettings
    db: Database
    bus: Bus
    extras: dict[str, Any] = field(default_factory=dict)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db, self.definition.name, self.definition.outbox)

    @cached_property
    def idempotency_store(self) -> IdempotencyStore | None:
        table = self.definition.idempotency
        return IdempotencyStore(table) if table is not None else None

    def relay(self) -> OutboxRelay:
        s = self.settings
        return OutboxRelay(
            self.db,
            self.bus,
            self.definition.outbox,
            service=self.definition.name,
            batch_size=s.relay_batch_size,
            poll_interval=s.relay_poll_interval_seconds,
            idle_poll_interval=s.relay_idle_poll_seconds,
        )

    def consumer(self) -> InboxConsumer:
        s = self.settings
        d = self.definition
        return InboxConsumer(
            db=self.db,
            bus=self.bus,
            service=d.name,
            group=d.consumer_group,
            topics=list(d.subscriptions),
            handlers=d.handlers,
            inbox=d.inbox,
            outbox=d.outbox,
            max_attempts=s.consumer_max_attempts,
            backoff=s.consumer_retry_backoff_seconds,
        )


def build_runtime(
    definition: ServiceDefinition, settings: ServiceSettings, db: Database | None = None, bus: Bus | None = None
) -> Runtime:
    return Runtime(
        definition=definition,
        settings=settings,
        db=db or Database.from_url(settings.database_url, settings.database_pool_size),
        bus=bus
        or build_bus(
            settings.bus,
            bootstrap_servers=settings.kafka_bootstrap_servers,
            topic_prefix=settings.kafka_topic_prefix,
            client_id=definition.name,
            partitions=settings.kafka_topic_partitions,
            replication_factor=settings.kafka_topic_replication_factor,
            session_timeout_ms=settings.consumer_session_timeout_ms,
        ),
    )


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def get_uow(request: Request) -> UnitOfWork:
    """A fresh, not yet entered unit of work; the use case enters it and commits explicitly."""
    return request.app.state.runtime.uow()


def create_service_app(
    definition: ServiceDefinition,
    settings: ServiceSettings | None = None,
    *,
    db: Database | None = None,
    bus: Bus | None = None,
    extras: dict[str, Any] | None = None,
) -> FastAPI:
    """The service's ASGI app. Engine and bus are made in the lifespan unless injected (tests, embedded).

    ``extras`` land in ``Runtime.extras`` (the embedded runner hands the gateway its upstream apps).
    """
    settings = settings or definition.settings_type()
    owns_db = db is None
    owns_bus = bus is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = build_runtime(definition, settings, db, bus)
        runtime.extras.update(extras or {})
        app.state.runtime = runtime
        if definition.on_startup is not None:
            await definition.on_startup(runtime)
        try:
            yield
        finally:
            if owns_bus:
                await runtime.bus.stop()
            if owns_db:
                await runtime.db.dispose()

    app = FastAPI(
        title=definition.title,
        version=definition.version,
        description=definition.description,
        lifespan=lifespan,
        docs_url=None,  # served offline by the gateway's own docs page; no CDN assets
        redoc_url=None,
        telemetry=tracing.fastapi_telemetry(),
    )
    install_problem_handlers(app)
    # Outermost last: request ids and the size limit wrap everything; bodies are checked for shape
    # before routing; conditional GETs are answered from the route's ETag.
    app.add_middleware(ConditionalGetMiddleware)
    app.add_middleware(BodyShapeMiddleware, other_media_types=definition.other_media_types)
    app.add_middleware(RequestContextMiddleware, service=definition.name)
    app.include_router(health_router())
    for router in definition.routers():
        app.include_router(router)
    if definition.configure_app is not None:
        definition.configure_app(app)
    openapi_conventions.install(app)
    return app
