"""The whole dgplan suite in one process, served on loopback, for the fuzz and security tests.

Assembled the way ``make run`` assembles it (each service migrated into its own SQLite file, one
in-process bus, relays and consumers running, the embedded seed: plan, governance bodies, demo
clients), but on a background thread with its own event loop and with every service also served
on its own port. The tests then talk plain HTTP to it, which lets schemathesis run every check,
including those that re-send a request (auth, method, header checks).

The gateway's rate limit is turned off: the fuzzers send thousands of requests per client.
"""

from __future__ import annotations

import asyncio
import secrets
import sqlite3
import threading
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import uvicorn
from pydantic import SecretStr

from dgplan_shared.bus.memory import InMemoryBus
from dgplan_shared.db.engine import Database
from dgplan_shared.db.migrations import upgrade
from dgplan_contracts.identity import Principal
from dgplan_contracts.assertion import sign_identity
from dgplan_shared.registry import installed_services
from dgplan_shared.service import Runtime, create_service_app
from dgplan_shared.net import free_port


@dataclass
class RunningSuite:
    data_dir: Path
    gateway_url: str = ""
    service_urls: dict[str, str] = field(default_factory=dict)
    internal_secret: str = ""
    runtimes: dict[str, Runtime] = field(default_factory=dict)
    loop: asyncio.AbstractEventLoop | None = None
    _tokens: dict[str, str] = field(default_factory=dict)

    # --- credentials ---------------------------------------------------------------------------
    def demo_secrets(self) -> dict[str, str]:
        known = {}
        for line in (self.data_dir / "demo-clients.txt").read_text().splitlines():
            client_id, _, secret = line.partition(" ")
            if client_id and not client_id.startswith("#"):
                known[client_id] = secret.strip()
        return known

    def token(self, client_id: str) -> str:
        """A bearer token from the gateway's built-in issuer for a demo client (cached)."""
        if client_id not in self._tokens:
            secret = self.demo_secrets()[client_id]
            response = httpx.post(
                f"{self.gateway_url}/oauth2/token",
                data={"grant_type": "client_credentials"},
                auth=(client_id, secret),
                timeout=30,
            )
            response.raise_for_status()
            self._tokens[client_id] = response.json()["access_token"]
        return self._tokens[client_id]

    def bearer(self, client_id: str | None) -> dict[str, str]:
        return {} if client_id is None else {"Authorization": f"Bearer {self.token(client_id)}"}

    def identity(
        self, subject: str, *roles: str, agency: str | None = None, bodies: tuple[str, ...] = (),
        offices: tuple[str, ...] = (),
    ) -> dict[str, str]:
        """The header the gateway forwards to a service for such a caller."""
        principal = Principal(
            subject=subject, roles=frozenset(roles), agency=agency, bodies=frozenset(bodies), offices=frozenset(offices)
        )
        return {"X-Dgplan-Identity": sign_identity(principal, self.internal_secret, ttl_seconds=3600)}

    def crafted_token(self, kind: str, client_id: str = "demo-secretariat", roles: tuple[str, ...] = ("secretariat",)) -> str:
        """Tokens the gateway must refuse: ``expired``, ``wrong-audience`` (both signed with the
        gateway's own key) and ``forged`` (same kid and claims, another key)."""
        from cryptography.hazmat.primitives.asymmetric import rsa
        from gateway.edge.state import edge_state

        gateway = self.runtimes["gateway"]
        key = self.run(edge_state(gateway).keys.active())
        now = int(time.time())
        claims = {
            "iss": gateway.settings.public_base_url or self.gateway_url, "aud": gateway.settings.jwt_audience, "sub": client_id,
            "client_id": client_id, "iat": now, "nbf": now, "exp": now + 600, "roles": list(roles),
        }
        signing_key = key.private_key
        if kind == "expired":
            claims.update(iat=now - 7200, nbf=now - 7200, exp=now - 3600)
        elif kind == "wrong-audience":
            claims["aud"] = "some-other-api"
        elif kind == "forged":
            signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            raise ValueError(kind)
        return jwt.encode(claims, signing_key, algorithm="RS256", headers={"kid": key.kid})

    # --- running code on the suite's loop (database probes) -------------------------------------
    def run(self, coroutine: Any, timeout: float = 60) -> Any:
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def settle(self, timeout: float = 10) -> None:
        """Wait until every outbox is published and every consumer has caught up."""
        self.run(self._settle(timeout), timeout + 5)

    async def _settle(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        bus = self._bus
        while time.monotonic() < deadline:
            pending = 0
            for rt in self.runtimes.values():
                pending += await rt.relay().pending()
                if rt.definition.subscriptions:
                    pending += bus.lag(rt.definition.consumer_group, rt.definition.subscriptions)
            if pending == 0:
                return
            await asyncio.sleep(0.02)
        raise AssertionError("events did not settle")

    _bus: InMemoryBus = field(default_factory=InMemoryBus)

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """Every table of every service's database: row count and a hash of its rows."""
        self.settle()
        state: dict[str, tuple[int, int]] = {}
        for database in sorted(self.data_dir.glob("*.db")):
            connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
            try:
                tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                for table in tables:
                    rows = sorted(repr(row) for row in connection.execute(f'SELECT * FROM "{table}"'))
                    state[f"{database.stem}.{table}"] = (len(rows), hash(tuple(rows)))
            finally:
                connection.close()
        return state


def _settings(definition: Any, data_dir: Path, secret: str) -> Any:
    overrides: dict[str, object] = {
        "bus": "memory",
        "internal_auth_secret": SecretStr(secret),
        "database_url": f"sqlite+aiosqlite:///{data_dir / definition.name}.db",
        "log_level": "ERROR",
    }
    if definition.name == "gateway":
        overrides.update(
            rate_limit_per_second=0,
            demo_clients_file=str(data_dir / "demo-clients.txt"),
            membership_cache_seconds=0,
        )
    return definition.settings_type(**overrides)


async def _serve(suite: RunningSuite, ready: threading.Event, stop: asyncio.Event, errors: list) -> None:
    try:
        definitions = installed_services()
        settings = {name: _settings(d, suite.data_dir, suite.internal_secret) for name, d in definitions.items()}
        for name, definition in definitions.items():
            await asyncio.to_thread(upgrade, definition.migrations, settings[name].database_url)
        async with AsyncExitStack() as stack:
            apps: dict[str, Any] = {}
            for name, definition in definitions.items():
                extras = {"upstream_apps": dict(apps)} if name == "gateway" else None
                app = create_service_app(
                    definition, settings[name], db=Database.from_url(settings[name].database_url),
                    bus=suite._bus, extras=extras,
                )
                await stack.enter_async_context(app.router.lifespan_context(app))
                apps[name] = app
            suite.runtimes = {name: app.state.runtime for name, app in apps.items()}
            stop_workers = asyncio.Event()
            workers = [asyncio.create_task(rt.relay().run(stop_workers)) for rt in suite.runtimes.values()]
            workers += [
                asyncio.create_task(rt.consumer().run(stop_workers))
                for rt in suite.runtimes.values()
                if rt.definition.subscriptions
            ]
            for rt in suite.runtimes.values():
                if rt.definition.embedded_setup is not None:
                    await rt.definition.embedded_setup(rt)
            servers = []
            for name, app in apps.items():
                port = free_port()
                config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_config=None,
                                        access_log=False)
                server = uvicorn.Server(config)
                server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
                servers.append((server, asyncio.create_task(server.serve())))
                url = f"http://127.0.0.1:{port}"
                if name == "gateway":
                    suite.gateway_url = url
                else:
                    suite.service_urls[name] = url
            for server, task in servers:
                while not server.started and not task.done():
                    await asyncio.sleep(0.01)
                if task.done():
                    await task
            await suite._settle(20)
            ready.set()
            await stop.wait()
            for server, _ in servers:
                server.should_exit = True
            await asyncio.gather(*(task for _, task in servers))
            stop_workers.set()
            await asyncio.gather(*workers)
            for rt in suite.runtimes.values():
                await rt.db.dispose()
    except BaseException as exc:  # noqa: BLE001 - surfaced to the test thread
        errors.append(exc)
        ready.set()


class SuiteThread:
    def __init__(self, data_dir: Path) -> None:
        self.suite = RunningSuite(data_dir=data_dir, internal_secret=secrets.token_urlsafe(32))
        self._ready = threading.Event()
        self._errors: list[BaseException] = []
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._main, name="dgplan-suite", daemon=True)

    def _main(self) -> None:
        loop = asyncio.new_event_loop()
        self.suite.loop = loop
        self._stop = asyncio.Event()
        try:
            loop.run_until_complete(_serve(self.suite, self._ready, self._stop, self._errors))
        finally:
            loop.close()

    def __enter__(self) -> RunningSuite:
        self._thread.start()
        if not self._ready.wait(120):
            raise AssertionError("the suite did not start in time")
        if self._errors:
            raise self._errors[0]
        return self.suite

    def __exit__(self, *exc: object) -> None:
        assert self.suite.loop is not None and self._stop is not None
        self.suite.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(60)


@dataclass(frozen=True)
class Role:
    """A kind of caller: how it signs in at the gateway (a demo client) and what the gateway
    forwards to a service for it (roles, agency, bodies)."""

    name: str
    client_id: str | None
    roles: tuple[str, ...] = ()
    agency: str | None = None
    bodies: tuple[str, ...] = ()
    offices: tuple[str, ...] = ()  # bodies it chairs (as governance's seed makes the demo chairs)

    def gateway_headers(self, suite: RunningSuite) -> dict[str, str]:
        return suite.bearer(self.client_id)

    def service_headers(self, suite: RunningSuite) -> dict[str, str]:
        if self.client_id is None:
            return {}
        return suite.identity(self.client_id, *self.roles, agency=self.agency, bodies=self.bodies, offices=self.offices)


ROLES: tuple[Role, ...] = (
    Role("anonymous", None),
    Role("secretariat", "demo-secretariat", ("secretariat",)),
    Role("operator", "demo-operator", ("operator",)),
    Role("agency-MOF", "demo-agency-mof", ("agency",), agency="MOF"),
    Role("agency-OPDC", "demo-agency-opdc", ("agency",), agency="OPDC"),
    Role("committee", "demo-dgc-chair", ("body_member",), bodies=("digital-government-committee",),
         offices=("digital-government-committee",)),
    Role("subcommittee", "demo-obs-chair", ("body_member",), bodies=("operations-budget-subcommittee",),
         offices=("operations-budget-subcommittee",)),
    Role("nesdc", "demo-nesdc", ("body_member",), bodies=("nesdc",)),
    Role("cabinet", "demo-cabinet", ("body_member",), bodies=("cabinet",)),
)
ROLE_BY_NAME = {role.name: role for role in ROLES}
