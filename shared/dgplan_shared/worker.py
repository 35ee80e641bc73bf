"""Background workers (outbox relay, inbox consumer, daemons such as the deadline scheduler) as
processes of their own, each with a small HTTP port for Kubernetes probes and Prometheus.

Workers serve no API, yet operators must know that one is alive, that it reaches its database and
bus, and how far behind it is: ``/healthz`` answers while the event loop runs (a blocked loop
cannot answer, so the kubelet restarts it), ``/readyz`` checks the database and the bus, and
``/metrics`` exposes the process's counters (events published, consumed, dead-lettered; the outbox
backlog, counted on each scrape). The port is off unless ``<PREFIX>_WORKER_PROBE_PORT`` is set.

A hand-written HTTP/1.1 responder keeps it to the three GETs: a web framework here would bring
signal handling of its own into a process whose shutdown the worker loop owns.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from dgplan_shared.health import readiness_body
from dgplan_shared.relay import PENDING
from dgplan_shared.service import Runtime, ServiceDefinition, build_runtime
from dgplan_shared.settings import ServiceSettings

log = logging.getLogger(__name__)

Work = Callable[[Runtime, asyncio.Event], Awaitable[None]]
BeforeScrape = Callable[[Runtime], Awaitable[None]]

_MAX_REQUEST_HEAD = 8192
_READ_TIMEOUT_SECONDS = 5.0
_REASONS = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"}


async def count_outbox_backlog(runtime: Runtime) -> None:
    """Before a relay's scrape: how many committed events still wait to be published."""
    try:
        PENDING.labels(runtime.definition.name).set(await runtime.relay().pending())
    except Exception as exc:  # noqa: BLE001 - a scrape reports what it can; readiness shows the outage
        log.debug("outbox backlog not counted", extra={"error": repr(exc)})


class WorkerProbes:
    """The probe port of one worker process."""

    def __init__(self, runtime: Runtime, before_scrape: BeforeScrape | None = None) -> None:
        self.runtime = runtime
        self.before_scrape = before_scrape
        self._server: asyncio.base_events.Server | None = None

    async def start(self, host: str, port: int) -> int:
        # A request head longer than the stream limit ends the connection (LimitOverrunError).
        self._server = await asyncio.start_server(self._serve, host, port, limit=_MAX_REQUEST_HEAD)
        bound = self._server.sockets[0].getsockname()[1]
        log.info("worker probes listening", extra={"host": host, "port": bound})
        return int(bound)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def answer(self, method: str, path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for one request."""
        path = path.split("?", 1)[0]
        if path not in ("/healthz", "/readyz", "/metrics"):
            return 404, "application/json", b'{"status":"not-found"}'
        if method not in ("GET", "HEAD"):
            return 405, "application/json", b'{"status":"method-not-allowed"}'
        if path == "/healthz":
            return 200, "application/json", b'{"status":"ok"}'
        if path == "/readyz":
            return await self._readiness()
        if self.before_scrape is not None:
            await self.before_scrape(self.runtime)
        return 200, CONTENT_TYPE_LATEST, generate_latest()

    async def _readiness(self) -> tuple[int, str, bytes]:
        # A worker is only useful with both: the relay publishes to the bus, the consumer reads it.
        body = await readiness_body(self.runtime)
        return (200 if body["status"] == "ready" else 503), "application/json", json.dumps(body).encode()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), _READ_TIMEOUT_SECONDS)
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            method, path, _ = (request_line.split(" ") + ["", ""])[:3]
            status, content_type, body = await self.answer(method, path)
            writer.write(
                f"HTTP/1.1 {status} {_REASONS[status]}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + (b"" if method == "HEAD" else body)
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ConnectionError):
            pass  # a probe that hung up or sent garbage gets nothing
        finally:
            writer.close()


async def run_worker(
    definition: ServiceDefinition,
    settings: ServiceSettings,
    stop: asyncio.Event,
    work: Work,
    before_scrape: BeforeScrape | None = None,
) -> None:
    """Run ``work`` until ``stop`` is set, with the probe port open if configured."""
    runtime = build_runtime(definition, settings)
    probes = WorkerProbes(runtime, before_scrape)
    try:
        if settings.worker_probe_port is not None:
            await probes.start(settings.worker_probe_host, settings.worker_probe_port)
        await work(runtime, stop)
    finally:
        await probes.close()
        await runtime.bus.stop()
        await runtime.db.dispose()


async def relay_work(runtime: Runtime, stop: asyncio.Event) -> None:
    await runtime.relay().run(stop)


async def consumer_work(runtime: Runtime, stop: asyncio.Event) -> None:
    await runtime.consumer().run(stop)


def roles_of(definition: ServiceDefinition) -> dict[str, Work]:
    """The background roles a service has: its relay, its consumer if it subscribes, its daemons."""
    roles: dict[str, Work] = {"relay": relay_work}
    if definition.subscriptions:
        roles["consumer"] = consumer_work
    roles.update(definition.daemons)
    return roles


async def every_role_work(runtime: Runtime, stop: asyncio.Event) -> None:
    """All of a service's background roles in one process (``worker``: the footprint option for
    small installations). They share one database pool and one bus client; each keeps its own
    loop, so a slow consumer never holds the relay back. One role failing ends the others (the
    TaskGroup cancels them) and the process exits, so the orchestrator restarts all of them: a
    half-alive worker that publishes but no longer consumes would look ready and be wrong."""
    async with asyncio.TaskGroup() as group:
        for name, work in roles_of(runtime.definition).items():
            group.create_task(work(runtime, stop), name=f"{runtime.definition.name}.{name}")
