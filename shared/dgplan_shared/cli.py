"""Command line of every service: ``api``, ``relay``, ``consumer``, ``worker``, ``migrate`` and its own commands.

One image, one entry point, one process role per command: Kubernetes runs the API, the relay
and the consumer as separate Deployments and migrations as a Job. ``worker`` runs the relay, the
consumer and the daemons together in one process, for small installations where a process per
role costs more memory than it buys isolation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable

from dgplan_shared.db.engine import Database
from dgplan_shared.db.migrations import upgrade
from dgplan_shared.idempotency_retention import purge_expired_keys
from dgplan_shared import tracing
from dgplan_shared.logging import configure_logging
from dgplan_shared.registry import installed_services
from dgplan_shared.service import ServiceDefinition, build_runtime, create_service_app
from dgplan_shared.settings import ServiceSettings
from dgplan_shared.worker import consumer_work, count_outbox_backlog, every_role_work, relay_work, run_worker


_SERVICE_ENV = "DGPLAN_API_SERVICE"


def app_for_worker():  # type: ignore[no-untyped-def]
    """uvicorn's factory in each worker process of ``api --workers N``."""
    definition = installed_services()[os.environ[_SERVICE_ENV]]
    settings = definition.settings_type()
    configure_logging(definition.name, settings.log_level, settings.log_json)
    tracing.configure_from_environment(definition.name)
    return create_service_app(definition, settings)


async def _until_signalled(work: Callable[[asyncio.Event], Awaitable[None]]) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await work(stop)


async def _setup(definition: ServiceDefinition, settings: ServiceSettings) -> None:
    runtime = build_runtime(definition, settings)
    try:
        if definition.embedded_setup is not None:
            await definition.embedded_setup(runtime)
    finally:
        await runtime.bus.stop()
        await runtime.db.dispose()


async def run_service_command(definition: ServiceDefinition, settings: ServiceSettings, name: str, args: list[str]) -> int:
    runtime = build_runtime(definition, settings)
    try:
        return await definition.commands[name](runtime, args)
    finally:
        await runtime.bus.stop()
        await runtime.db.dispose()


async def _purge_idempotency_keys(definition: ServiceDefinition, settings: ServiceSettings, days: int) -> int:
    db = Database.from_url(settings.database_url, settings.database_pool_size)
    try:
        deleted = await purge_expired_keys(db, definition.idempotency_stores, days)
    finally:
        await db.dispose()
    logging.getLogger(__name__).info("idempotency keys purged", extra={"deleted": deleted, "older_than_days": days})
    print(json.dumps({"older_than_days": days, "deleted": deleted}))
    return 0


def main(definition: ServiceDefinition, argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"dgplan-{definition.name}", description=definition.title)
    sub = parser.add_subparsers(dest="command", required=True)
    api = sub.add_parser("api", help="serve the HTTP API")
    api.add_argument("--host", default="127.0.0.1")
    api.add_argument("--port", type=int, default=8080)
    api.add_argument("--workers", type=int, default=1)
    api.add_argument("--fd", type=int, default=None,
                     help="serve on this inherited listening socket instead of --host/--port (replicas sharing one address)")
    sub.add_parser("relay", help="publish the outbox to the bus")
    sub.add_parser("consumer", help="consume subscribed events through the inbox")
    sub.add_parser("worker", help="the relay, the consumer and every daemon in one process (small installations)")
    sub.add_parser("migrate", help="apply database migrations (alembic upgrade head)")
    sub.add_parser("setup", help="seed reference data and demo clients, idempotently (what `make run` does)")
    purge = sub.add_parser("purge-idempotency-keys", help="forget Idempotency-Keys older than their retention (daily)")
    purge.add_argument("--older-than-days", type=int, default=None,
                       help="override <PREFIX>_IDEMPOTENCY_KEY_RETENTION_DAYS for this run")
    for name in definition.daemons:
        sub.add_parser(name, help=f"run the {name} loop until stopped")
    for name in definition.commands:
        extra = sub.add_parser(name, help=f"service command {name}")
        extra.add_argument("args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)

    settings: ServiceSettings = definition.settings_type()
    configure_logging(definition.name, settings.log_level, settings.log_json)
    tracing.configure_from_environment(definition.name)

    if args.command == "api":
        import uvicorn  # lazy: only the api role serves HTTP

        if args.workers > 1:
            # Worker processes import the app themselves: name the service for the factory below.
            os.environ[_SERVICE_ENV] = definition.name
            uvicorn.run("dgplan_shared.cli:app_for_worker", factory=True, host=args.host, port=args.port,
                        fd=args.fd, workers=args.workers, log_config=None, access_log=False)
        else:
            app = create_service_app(definition, settings)
            uvicorn.run(app, host=args.host, port=args.port, fd=args.fd, log_config=None, access_log=False)
        return 0
    if args.command == "relay":
        asyncio.run(_until_signalled(
            lambda stop: run_worker(definition, settings, stop, relay_work, before_scrape=count_outbox_backlog)))
        return 0
    if args.command == "consumer":
        asyncio.run(_until_signalled(lambda stop: run_worker(definition, settings, stop, consumer_work)))
        return 0
    if args.command == "worker":
        asyncio.run(_until_signalled(
            lambda stop: run_worker(definition, settings, stop, every_role_work, before_scrape=count_outbox_backlog)))
        return 0
    if args.command == "migrate":
        upgrade(definition.migrations, settings.database_url)
        return 0
    if args.command in definition.daemons:
        asyncio.run(_until_signalled(lambda stop: run_worker(definition, settings, stop, definition.daemons[args.command])))
        return 0
    if args.command == "setup":
        asyncio.run(_setup(definition, settings))
        return 0
    if args.command == "purge-idempotency-keys":
        days = args.older_than_days if args.older_than_days is not None else settings.idempotency_key_retention_days
        if days < 1:
            parser.error("--older-than-days must be at least 1")
        return asyncio.run(_purge_idempotency_keys(definition, settings, days))
    return asyncio.run(run_service_command(definition, settings, args.command, args.args))


def entry(definition_factory: Callable[[], ServiceDefinition]) -> Callable[[], None]:
    """Build a console-script entry point from a service's definition factory."""

    def run() -> None:
        sys.exit(main(definition_factory()))

    return run
