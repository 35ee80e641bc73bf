"""The distributed topology on one machine: every service's API, relay and consumer (and any
daemon it declares) as separate processes on PostgreSQL and Kafka, behind the gateway.

With ``frontends=True`` the web front ends (the console, ``dgplan.frontends``) run too, each as
its own API process behind the same address: the gateway forwards the paths a front end claims to
it (``GATEWAY_<FRONT END>_URL``), so ``gateway_url`` serves the console's pages, ``/api/v1`` and
the sign-in exactly as ``make run`` serves them on one port.

``make distributed`` runs it interactively (``dgplan_shared.testing.distributed``); the
fault-injection tests drive it: they SIGKILL
and restart any process, the broker, or PostgreSQL, while load goes through the gateway.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

import httpx

from dgplan_shared.db.migrations import upgrade
from dgplan_shared.db.provisioning import create_postgres_database
from dgplan_shared.net import free_port

@dataclass
class ServiceProcessSet:
    name: str
    module: str  # ``python -m <module>`` runs the service's CLI
    prefix: str  # environment prefix of its settings
    migrations: str
    consumes: bool
    daemons: tuple[str, ...]
    fronts_services: bool = False
    # A web front end: its API process only (it publishes and consumes nothing), in front of the gateway.
    frontend: bool = False
    serves_paths: tuple[str, ...] = ()  # what a front end answers at the public address
    settings_fields: frozenset[str] = frozenset()
    port: int = 0
    database_url: str = ""


def _replica(role: str, number: int) -> str:
    """``consumer``, ``consumer-2``, …: the first replica keeps the role's plain name."""
    return role if number == 1 else f"{role}-{number}"


@dataclass
class ManagedProcess:
    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None
    restarts: int = 0
    pass_fds: tuple[int, ...] = ()  # a listening socket the process serves on (gateway replicas)

    def start(self) -> None:
        out = open(self.log, "ab")
        self.process = subprocess.Popen(self.argv, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                        start_new_session=True, pass_fds=self.pass_fds)
        out.close()

    def signal(self, sig: int) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)

    def kill(self) -> None:
        self.signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(10)

    def stop(self, timeout: float = 15) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def restart(self) -> None:
        self.kill()
        self.restarts += 1
        self.start()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class Topology:
    base_dir: Path
    postgres_server: str
    kafka_bootstrap: str
    topic_prefix: str = ""
    fixed_ports: bool = False
    log_level: str = "WARNING"
    internal_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    services: dict[str, ServiceProcessSet] = field(default_factory=dict)
    processes: dict[str, ManagedProcess] = field(default_factory=dict)
    # Extra environment for every process (e.g. settings a fault test tunes); applied last.
    extra_env: dict[str, str] = field(default_factory=dict)
    # Also run the web front ends (the console). Off for the API-only tests (e2e, faults, benches),
    # which drive the gateway alone; ``make distributed`` and the console's browser tests turn it on.
    frontends: bool = False
    # Each service's relay, consumer and daemons in one ``worker`` process instead of one process
    # per role (the footprint option; bench/footprint.py measures what it saves).
    one_worker: bool = False
    # Replicas, as production runs them (the fault suite's replicated form): each consuming
    # service's consumers in one group, and gateway APIs accepting on one shared listening socket
    # (one address; the kernel hands each connection to one of them, as a Service would).
    consumer_replicas: int = 1
    gateway_replicas: int = 1
    # Topics' replication factor (a replicated cluster: 3, with min.insync.replicas 2 on the brokers).
    kafka_replication_factor: int = 1
    _listener: socket.socket | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.base_dir = Path(self.base_dir).resolve()
        (self.base_dir / "logs").mkdir(parents=True, exist_ok=True)
        (self.base_dir / "data").mkdir(parents=True, exist_ok=True)
        found = {ep.name: ep for ep in entry_points(group="dgplan.services")}
        fronts = {ep.name: ep for ep in entry_points(group="dgplan.frontends")} if self.frontends else {}
        found.update(fronts)
        definitions = {name: ep.load()() for name, ep in found.items()}
        for name in sorted(found, key=lambda n: (definitions[n].start_order, n)):
            definition = definitions[name]
            self.services[name] = ServiceProcessSet(
                name=name,
                module=found[name].module.split(".")[0],
                prefix=definition.settings_type.model_config.get("env_prefix", ""),
                migrations=definition.migrations,
                consumes=bool(definition.subscriptions),
                daemons=tuple(definition.daemons),
                fronts_services=definition.fronts_services,
                frontend=name in fronts,
                serves_paths=definition.serves_paths,
                settings_fields=frozenset(definition.settings_type.model_fields),
                port=definition.default_port if self.fixed_ports and definition.default_port else free_port(),
            )

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def gateway_url(self) -> str:
        """The topology's one public address (the gateway's; with ``frontends``, the console's too)."""
        front = next(s for s in self.services.values() if s.fronts_services)
        return f"http://127.0.0.1:{front.port}"

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.services[service].port}"

    @property
    def demo_clients_file(self) -> Path:
        """Where the gateway's ``setup`` keeps the demo clients' secrets (inside this topology)."""
        return self.base_dir / "demo-clients.txt"

    def demo_client_secrets(self) -> dict[str, str]:
        """client_id -> plain secret of the demo clients created by ``prepare``."""
        secrets_by_client = {}
        for line in self.demo_clients_file.read_text().splitlines():
            client_id, _, secret = line.partition(" ")
            if client_id and secret and not client_id.startswith("#"):
                secrets_by_client[client_id] = secret.strip()
        return secrets_by_client

    def env_for(self, svc: ServiceProcessSet) -> dict[str, str]:
        p = svc.prefix
        env = {
            **os.environ,
            f"{p}DATABASE_URL": svc.database_url,
            f"{p}BUS": "kafka",
            f"{p}KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap,
            f"{p}KAFKA_TOPIC_PREFIX": self.topic_prefix,
            f"{p}INTERNAL_AUTH_SECRET": self.internal_secret,
            f"{p}LOG_LEVEL": self.log_level,
            f"{p}CONSUMER_SESSION_TIMEOUT_MS": "6000",
            f"{p}KAFKA_TOPIC_REPLICATION_FACTOR": str(self.kafka_replication_factor),
            # Files a service keeps beside its database (the gateway's demo client secrets).
            "DGPLAN_DATA_DIR": str(self.data_dir),
        }
        if svc.fronts_services:
            env.setdefault(f"{p}DEMO_CLIENTS_FILE", str(self.demo_clients_file))
            # The built-in issuer names the public address (tokens' `iss`, discovery, the console
            # client's redirect URI its setup registers), whatever a developer's shell says.
            if "public_base_url" in svc.settings_fields:
                env[f"{p}PUBLIC_BASE_URL"] = self.gateway_url
            # Every other registered service is an upstream the gateway finds by
            # GATEWAY_<SERVICE>_URL (its settings; a service it does not route is simply ignored),
            # and a front end's claimed paths by GATEWAY_<FRONT END>_PATHS, read from the front
            # end's own definition here, so the two never drift apart.
            for upstream, other in self.services.items():
                if upstream != svc.name:
                    name = upstream.upper().replace("-", "_")
                    env[f"{p}{name}_URL"] = self.url(upstream)
                    if other.frontend:
                        env[f"{p}{name}_PATHS"] = json.dumps(list(other.serves_paths))
        if svc.frontend:
            env.update(self._frontend_env(svc))
        env.update(self.extra_env)
        return env

    def _frontend_env(self, svc: ServiceProcessSet) -> dict[str, str]:
        """A front end calls the gateway, signs people in at its issuer and is reached by browsers,
        all at the one public address (its OIDC redirect URI and the issuer's `iss` must be that
        address, not the front end's own port). It reads its OAuth2 client's secret from the file
        the gateway's setup writes beside the demo clients' (``DGPLAN_DATA_DIR``)."""
        p = svc.prefix
        env = {f"{p}BUS": "memory", "DGPLAN_DATA_DIR": str(self.demo_clients_file.parent)}
        for setting in ("gateway_url", "oidc_issuer", "public_url"):
            if setting in svc.settings_fields:
                env[f"{p}{setting.upper()}"] = self.gateway_url
        return env

    async def prepare(self) -> None:
        """A database per service, migrated; then each service's idempotent ``setup`` (seed data)."""
        for svc in self.services.values():
            svc.database_url = await create_postgres_database(self.postgres_server, svc.name.replace("-", "_"))
            await asyncio.to_thread(upgrade, svc.migrations, svc.database_url)
        for svc in self.services.values():
            if svc.frontend:
                continue  # nothing to seed: a front end owns no data
            result = await asyncio.to_thread(
                subprocess.run, [sys.executable, "-m", svc.module, "setup"], env=self.env_for(svc),
                capture_output=True, text=True, timeout=120,
            )
            if result.returncode != 0:
                raise RuntimeError(f"{svc.name} setup failed:\n{result.stdout}\n{result.stderr}")
            (self.base_dir / "logs" / f"{svc.name}.setup.log").write_text(result.stdout + result.stderr)

    def _api_roles(self, svc: ServiceProcessSet) -> list[tuple[str, list[str], tuple[int, ...]]]:
        if not svc.fronts_services or self.gateway_replicas == 1:
            return [("api", ["api", "--host", "127.0.0.1", "--port", str(svc.port)], ())]
        # The replicas inherit one socket bound to the gateway's address: a killed replica's
        # connections are cut, the others keep accepting on the same port.
        if self._listener is None:
            self._listener = socket.create_server(("127.0.0.1", svc.port), backlog=1024)
            self._listener.set_inheritable(True)
        fd = self._listener.fileno()
        return [(_replica("api", n), ["api", "--fd", str(fd)], (fd,)) for n in range(1, self.gateway_replicas + 1)]

    def start(self) -> None:
        for svc in self.services.values():
            roles = self._api_roles(svc)
            if svc.frontend:
                pass  # a front end's outbox stays empty: no relay to run
            elif self.one_worker:
                roles.append(("worker", ["worker"], ()))
            else:
                roles.append(("relay", ["relay"], ()))
                if svc.consumes:
                    roles += [(_replica("consumer", n), ["consumer"], ()) for n in range(1, self.consumer_replicas + 1)]
                roles += [(daemon, [daemon], ()) for daemon in svc.daemons]
            for role, args, fds in roles:
                name = f"{svc.name}.{role}"
                managed = ManagedProcess(name, [sys.executable, "-m", svc.module, *args], self.env_for(svc),
                                         self.base_dir / "logs" / f"{name}.log", pass_fds=fds)
                managed.start()
                self.processes[name] = managed

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        pending = {name: self.url(name) for name in self.services}
        while pending and time.monotonic() < deadline:
            for name, base in list(pending.items()):
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        del pending[name]
                except httpx.TransportError:
                    pass
            dead = [p.name for p in self.processes.values() if not p.alive]
            if dead:
                raise RuntimeError(f"processes exited early: {dead}; see {self.base_dir / 'logs'}")
            time.sleep(0.1)
        if pending:
            raise RuntimeError(f"not healthy within {timeout}s: {sorted(pending)}")

    def ensure_running(self) -> list[str]:
        """Start every managed process that is not running (after a crash); returns their names."""
        started = []
        for managed in self.processes.values():
            if not managed.alive:
                managed.restarts += 1
                managed.start()
                started.append(managed.name)
        return started

    def stop(self) -> None:
        for managed in reversed(list(self.processes.values())):
            managed.stop()
        if self._listener is not None:
            self._listener.close()
            self._listener = None

