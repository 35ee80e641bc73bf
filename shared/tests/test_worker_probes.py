"""Relay and consumer processes answer Kubernetes probes and Prometheus on their probe port:
alive while they wait out an outage, ready only with database and broker, and counting what they
published and consumed. Real processes, real PostgreSQL and Apache Kafka."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from dgplan_shared.db.engine import Database
from dgplan_shared.net import free_port
from messaging_helpers import effect_counts, emit, wait_for

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]

HERE = Path(__file__).parent


def _start(command: str, url: str, bootstrap: str, prefix: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(HERE),
        "PROBE_DATABASE_URL": url,
        "PROBE_BUS": "kafka",
        "PROBE_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "PROBE_KAFKA_TOPIC_PREFIX": prefix,
        "PROBE_CONSUMER_SESSION_TIMEOUT_MS": "6000",
        "PROBE_WORKER_PROBE_PORT": str(port),
        "PROBE_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen([sys.executable, "-m", "probe_service", command], env=env)


def _get(port: int, path: str) -> httpx.Response | None:
    try:
        return httpx.get(f"http://127.0.0.1:{port}{path}", timeout=5)
    except httpx.TransportError:
        return None


def _wait_answering(port: int, deadline_s: float = 30) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if _get(port, "/healthz") is not None:
            return
        time.sleep(0.1)
    raise AssertionError(f"nothing answers on probe port {port}")


def _metric(text: str, name: str, **labels: str) -> float | None:
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def _stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise


async def test_relay_and_consumer_report_health_readiness_and_progress(probe_database, kafka_bootstrap):
    producer_url, consumer_url = await probe_database("postgres"), await probe_database("postgres")
    prefix = f"probes{uuid.uuid4().hex[:8]}-"
    db = Database.from_url(producer_url)
    relay_port, consumer_port = free_port(), free_port()
    relay = _start("relay", producer_url, kafka_bootstrap, prefix, relay_port)
    consumer = _start("consumer", consumer_url, kafka_bootstrap, prefix, consumer_port)
    try:
        _wait_answering(relay_port)
        _wait_answering(consumer_port)
        for port in (relay_port, consumer_port):
            ready = _get(port, "/readyz")
            assert ready is not None and ready.status_code == 200, ready and ready.text
            assert ready.json()["checks"] == {"database": "up", "bus": "up"}
            assert _get(port, "/nowhere").status_code == 404  # type: ignore[union-attr]

        await emit(db, range(25))

        async def relay_published_all() -> bool:
            text = _get(relay_port, "/metrics").text  # type: ignore[union-attr]
            return (_metric(text, "dgplan_outbox_published_total", service="probe") == 25
                    and _metric(text, "dgplan_outbox_pending", service="probe") == 0)

        async def consumer_processed_all() -> bool:
            text = _get(consumer_port, "/metrics").text  # type: ignore[union-attr]
            return _metric(text, "dgplan_inbox_events_total", outcome="processed") == 25

        await wait_for(relay_published_all, 60, "the relay's metrics to count 25 published, 0 pending")
        await wait_for(consumer_processed_all, 60, "the consumer's metrics to count 25 processed")
        assert _stop(relay) == 0 and _stop(consumer) == 0
        assert _get(relay_port, "/healthz") is None  # the port closed with the process
    finally:
        for process in (relay, consumer):
            if process.poll() is None:
                process.kill()
                process.wait()
        await db.dispose()


async def test_a_relay_without_its_broker_is_alive_but_not_ready(probe_database):
    url = await probe_database("postgres")
    port = free_port()
    nowhere = f"127.0.0.1:{free_port()}"  # nothing listens there
    relay = _start("relay", url, nowhere, "nobroker-", port)
    try:
        _wait_answering(port)
        alive = _get(port, "/healthz")
        assert alive is not None and alive.status_code == 200
        ready = _get(port, "/readyz")
        assert ready is not None and ready.status_code == 503
        body = ready.json()
        assert body.pop("detail")["bus"].startswith(f"Kafka at {nowhere} unreachable")
        assert body == {"status": "not-ready", "checks": {"database": "up", "bus": "down"}, "down": ["bus"]}
        assert re.search(r"^dgplan_outbox_pending\{service=\"probe\"\} 0\.0$", _get(port, "/metrics").text, re.M)  # type: ignore[union-attr]
        assert _stop(relay) == 0
    finally:
        if relay.poll() is None:
            relay.kill()
            relay.wait()


async def test_one_worker_process_publishes_consumes_and_reports_both(probe_database, kafka_bootstrap):
    """``worker`` (the footprint option): the relay and the consumer in one process, one probe port.
    The probe service consumes its own topic, so 25 events committed to its outbox come back as 25
    effects only if both halves run in that one process."""
    url = await probe_database("postgres")
    prefix = f"oneworker{uuid.uuid4().hex[:8]}-"
    db = Database.from_url(url)
    port = free_port()
    worker = _start("worker", url, kafka_bootstrap, prefix, port)
    try:
        _wait_answering(port)
        ready = _get(port, "/readyz")
        assert ready is not None and ready.status_code == 200, ready and ready.text
        await emit(db, range(25))

        async def both_counted() -> bool:
            text = _get(port, "/metrics").text  # type: ignore[union-attr]
            return (_metric(text, "dgplan_outbox_published_total", service="probe") == 25
                    and _metric(text, "dgplan_outbox_pending", service="probe") == 0
                    and _metric(text, "dgplan_inbox_events_total", outcome="processed") == 25)

        await wait_for(both_counted, 60, "one worker's metrics to count 25 published and 25 processed")
        assert await effect_counts(db) == {seq: 1 for seq in range(25)}  # each applied once
        assert _stop(worker) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        await db.dispose()
