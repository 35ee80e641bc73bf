"""``make run``: the whole suite in one process — SQLite files, the in-process bus, the seed plan.

Every service keeps its own database file and talks to the others only through the bus, exactly
as in the distributed topology; the gateway reaches the services' apps in-process instead of
over sockets. Ctrl-C drains the bus before exit, so nothing published is left unconsumed, and
a second run keeps the data.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
import time
from contextlib import AsyncExitStack
from pathlib import Path

import uvicorn
from pydantic import SecretStr
from starlette.types import ASGIApp, Receive, Scope, Send

from datetime import datetime

from sqlalchemy import update

from dgplan_shared.bus.memory import InMemoryBus
from dgplan_shared.db.engine import Database
from dgplan_shared.db.migrations import upgrade
from dgplan_shared.db.types import utcnow
from dgplan_shared import tracing
from dgplan_shared.logging import configure_logging
from dgplan_shared.registry import installed_frontends, installed_services
from dgplan_shared.service import Runtime, ServiceDefinition, create_service_app
from dgplan_shared.settings import ServiceSettings
from dgplan_shared.web.front_paths import claims

log = logging.getLogger("dgplan.embedded")


def _internal_secret(data_dir: Path) -> str:
    """One random secret per installation, so identities cannot be forged with a known default."""
    path = data_dir / "internal-secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _settings(definition: ServiceDefinition, data_dir: Path, secret: str, base_url: str) -> ServiceSettings:
    prefix = definition.settings_type.model_config.get("env_prefix", "")
    overrides: dict[str, object] = {"bus": "memory", "internal_auth_secret": SecretStr(secret)}
    if f"{prefix}DATABASE_URL" not in os.environ:
        overrides["database_url"] = f"sqlite+aiosqlite:///{data_dir / definition.name}.db"
    # The built-in issuer's URLs (discovery, login page) must be where this run serves, not the default port.
    if "public_base_url" in definition.settings_type.model_fields and f"{prefix}PUBLIC_BASE_URL" not in os.environ:
        overrides["public_base_url"] = base_url
    return definition.settings_type(**overrides)


def _front(gateway: ASGIApp, others: list[tuple[tuple[str, ...], ASGIApp]]) -> ASGIApp:
    """One address for everything: the paths a service claims (the console's pages) go to it, the
    rest to the gateway."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for paths, other in others:
                if claims(paths, scope["path"]):
                    await other(scope, receive, send)
                    return
        await gateway(scope, receive, send)

    return app


async def serve(host: str, port: int, data_dir: Path, ready: asyncio.Event | None = None,
                stop: asyncio.Event | None = None) -> None:
    started = time.monotonic()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = _internal_secret(data_dir)
    definitions = {**installed_services(), **installed_frontends()}  # front ends last: they call the gateway
    bus = InMemoryBus()
    settings = {name: _settings(d, data_dir, secret, f"http://{host}:{port}") for name, d in definitions.items()}
    for name, definition in definitions.items():
        # One at a time: Alembic's migration context is process-global.
        await asyncio.to_thread(upgrade, definition.migrations, settings[name].database_url)
    stop = stop or asyncio.Event()
    async with AsyncExitStack() as stack:
        apps = {}
        for name, definition in definitions.items():
            extras = {"upstream_apps": dict(apps)} if definition.fronts_services else None
            app = create_service_app(
                definition, settings[name], db=Database.from_url(settings[name].database_url), bus=bus, extras=extras
            )
            await stack.enter_async_context(app.router.lifespan_context(app))
            apps[name] = app
        runtimes: dict[str, Runtime] = {name: app.state.runtime for name, app in apps.items()}
        stack.push_async_callback(_dispose, runtimes)

        await _recover_after_crash(runtimes, data_dir)
        stop_relays, stop_consumers = asyncio.Event(), asyncio.Event()
        relays = [asyncio.create_task(rt.relay().run(stop_relays)) for rt in runtimes.values()]
        consumers = [
            asyncio.create_task(rt.consumer().run(stop_consumers))
            for rt in runtimes.values()
            if rt.definition.subscriptions
        ]
        consumers += [
            asyncio.create_task(daemon(rt, stop_consumers))
            for rt in runtimes.values()
            for daemon in rt.definition.daemons.values()
        ]
        for rt in runtimes.values():
            if rt.definition.embedded_setup is not None:
                await rt.definition.embedded_setup(rt)

        gateway = next((apps[n] for n, d in definitions.items() if d.fronts_services), None)
        if gateway is None:
            raise RuntimeError("no installed service fronts the others (the gateway is not installed)")
        front = _front(gateway, [(d.serves_paths, apps[n]) for n, d in definitions.items() if d.serves_paths])
        config = uvicorn.Config(front, host=host, port=port, lifespan="off", log_config=None, access_log=False)
        server = uvicorn.Server(config)
        server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        serving = asyncio.create_task(server.serve())
        while not server.started and not serving.done():
            await asyncio.sleep(0.01)
        if serving.done():
            await serving  # raises the bind error
        _banner(host, port, data_dir, time.monotonic() - started)
        if ready is not None:
            ready.set()
        await stop.wait()

        log.info("stopping: draining the bus")
        server.should_exit = True
        await serving
        await _drain(runtimes, bus, timeout=10)
        stop_relays.set()
        stop_consumers.set()
        await asyncio.gather(*relays, *consumers)
        (data_dir / CLEAN_MARKER).write_text(utcnow().isoformat())


CLEAN_MARKER = "clean-shutdown"


async def _recover_after_crash(runtimes: dict[str, Runtime], data_dir: Path) -> None:
    """The in-process bus dies with the process. After a crash, republish what was published since
    the last clean stop (all of it if there never was one): inboxes drop what was already handled."""
    marker, last_clean = data_dir / CLEAN_MARKER, data_dir / "last-clean-shutdown"
    if marker.exists():
        marker.replace(last_clean)  # a clean stop drained the bus: nothing to recover
        return
    since = datetime.fromisoformat(last_clean.read_text().strip()) if last_clean.exists() else None
    for rt in runtimes.values():
        outbox = rt.definition.outbox
        async with rt.db.session() as session:
            stmt = update(outbox).where(outbox.c.published_at.is_not(None))
            if since is not None:
                stmt = stmt.where(outbox.c.published_at >= since)
            await session.execute(stmt.values(published_at=None))
            await session.commit()


async def _drain(runtimes: dict[str, Runtime], bus: InMemoryBus, timeout: float) -> None:
    """Wait until every outbox is published and every consumer has caught up (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = 0
        for rt in runtimes.values():
            pending += await rt.relay().pending()
            if rt.definition.subscriptions:
                pending += bus.lag(rt.definition.consumer_group, rt.definition.subscriptions)
        if pending == 0:
            return
        await asyncio.sleep(0.05)
    log.warning("stopped with undelivered events; the next start republishes them")


async def _dispose(runtimes: dict[str, Runtime]) -> None:
    for rt in runtimes.values():
        await rt.db.dispose()


def _banner(host: str, port: int, data_dir: Path, seconds: float) -> None:
    base = f"http://{host}:{port}"
    print(
        f"\ndgplan is serving at {base} (started in {seconds:.1f}s; data in {data_dir})\n"
        f"  console (Thai/English): {base}/\n"
        f"  API docs (offline):  {base}/docs\n"
        f"  OpenAPI:             {base}/openapi.json\n"
        f"  health / readiness:  {base}/healthz  {base}/readyz\n"
        f"  Ctrl-C stops it; the next `make run` keeps the data.\n",
        flush=True,
    )


def main() -> None:
    configure_logging("embedded", os.environ.get("DGPLAN_LOG_LEVEL", "WARNING"), json_lines=False)
    tracing.configure_from_environment("dgplan-embedded")
    host = os.environ.get("DGPLAN_HOST", "127.0.0.1")
    port = int(os.environ.get("DGPLAN_PORT", "8000"))
    data_dir = Path(os.environ.get("DGPLAN_DATA_DIR", "var")).resolve()
    asyncio.run(serve(host, port, data_dir))


if __name__ == "__main__":
    main()
