"""A broker outage as operators see it: real relay and consumer processes, a real broker stopped
for half a minute and started again. Each worker logs the outage once and its end once (not a
line per retry), says in /readyz which dependency is down, exposes the broker's state as a gauge,
and delivers everything afterwards."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
import orjson
import pytest

from dgplan_shared.db.engine import Database
from dgplan_shared.net import free_port
from messaging_helpers import emit, inbox_count, wait_for

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]

HERE = Path(__file__).parent
OUTAGE_SECONDS = 28  # as long as the outage in which the flood was counted
MAX_WARNINGS_PER_OUTAGE = 5


def _start(command: str, url: str, bootstrap: str, prefix: str, port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(HERE),
        "PROBE_DATABASE_URL": url,
        "PROBE_BUS": "kafka",
        "PROBE_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "PROBE_KAFKA_TOPIC_PREFIX": prefix,
        "PROBE_CONSUMER_SESSION_TIMEOUT_MS": "6000",
        "PROBE_WORKER_PROBE_PORT": str(port),
        "PROBE_LOG_LEVEL": "INFO",
    }
    return subprocess.Popen([sys.executable, "-m", "probe_service", command], env=env,
                            stdout=subprocess.DEVNULL, stderr=log.open("wb"))


def _get(port: int, path: str) -> httpx.Response | None:
    try:
        return httpx.get(f"http://127.0.0.1:{port}{path}", timeout=5)
    except httpx.TransportError:
        return None


def _gauge(port: int, name: str) -> float | None:
    response = _get(port, "/metrics")
    for line in (response.text if response is not None else "").splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


def _lines(log: Path) -> list[dict]:
    out = []
    for raw in log.read_bytes().splitlines():
        try:
            out.append(orjson.loads(raw))
        except orjson.JSONDecodeError:
            out.append({"level": "RAW", "logger": "?", "msg": raw.decode(errors="replace")})
    return out


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def test_a_broker_outage_is_logged_once_reported_in_readiness_and_a_gauge_and_waited_out(
    probe_database, kafka_broker, kafka_bootstrap, tmp_path
):
    producer_url, consumer_url = await probe_database("postgres"), await probe_database("postgres")
    prefix = f"outage{uuid.uuid4().hex[:8]}-"
    producer_db, consumer_db = Database.from_url(producer_url), Database.from_url(consumer_url)
    relay_port, consumer_port = free_port(), free_port()
    logs = {"relay": tmp_path / "relay.log", "consumer": tmp_path / "consumer.log"}
    ports = {"relay": relay_port, "consumer": consumer_port}
    relay = _start("relay", producer_url, kafka_bootstrap, prefix, relay_port, logs["relay"])
    consumer = _start("consumer", consumer_url, kafka_bootstrap, prefix, consumer_port, logs["consumer"])
    try:
        await emit(producer_db, range(20))
        await wait_for(lambda: _inbox_is(consumer_db, 20), 90, "the first 20 events before the outage")
        for port in ports.values():
            assert _gauge(port, "dgplan_broker_available") == 1.0
        before = {name: len(_lines(log)) for name, log in logs.items()}

        kafka_broker.stop()
        stopped_at = time.monotonic()
        await emit(producer_db, range(20, 40))  # written while the broker is away: they wait in the outbox

        async def both_report_the_bus_down() -> bool:
            for port in ports.values():
                ready = _get(port, "/readyz")
                if ready is None or ready.status_code != 503 or ready.json().get("down") != ["bus"]:
                    return False
                # The gauge turns 0 once the broker stayed away for the availability's confirm
                # window (2 s), so a broker that refuses one connection while starting is no outage.
                if _gauge(port, "dgplan_broker_available") != 0.0:
                    return False
            return True

        await wait_for(both_report_the_bus_down, OUTAGE_SECONDS, "both workers' /readyz to name the bus")
        for port in ports.values():
            ready = _get(port, "/readyz").json()  # type: ignore[union-attr]
            assert ready["checks"] == {"database": "up", "bus": "down"}
            assert "kafka" in ready["detail"]["bus"].lower()
        await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped_at)))

        await asyncio.to_thread(kafka_broker.start)
        await wait_for(lambda: _inbox_is(consumer_db, 40), 120, "the 20 events of the outage after the broker returned")

        async def both_ready_again() -> bool:
            return all((r := _get(p, "/readyz")) is not None and r.status_code == 200 for p in ports.values())

        await wait_for(both_ready_again, 30, "both workers ready again")
        for port in ports.values():
            assert _gauge(port, "dgplan_broker_available") == 1.0
    finally:
        if kafka_broker.process is None and not _broker_answers(kafka_bootstrap):
            await asyncio.to_thread(kafka_broker.start)
        _stop(relay)
        _stop(consumer)
        await producer_db.dispose()
        await consumer_db.dispose()

    for name, log in logs.items():
        during = _lines(log)[before[name]:]
        noisy = [line for line in during if line["level"] in ("WARNING", "ERROR", "CRITICAL", "RAW")]
        by_logger = Counter((line["logger"], line["level"]) for line in noisy)
        print(f"{name}: {len(noisy)} warning/error lines in a {OUTAGE_SECONDS}s outage: {dict(by_logger)}")
        assert len(noisy) <= MAX_WARNINGS_PER_OUTAGE, f"{name} logged {len(noisy)} lines: {dict(by_logger)}"
        went = [line for line in during if line["msg"].startswith("broker unavailable")]
        came = [line for line in during if line["msg"].startswith("broker available again")]
        assert len(went) == 1 and went[0]["level"] == "WARNING", f"{name}: {went}"
        assert len(came) == 1 and came[0]["level"] == "INFO", f"{name}: {came}"


def _broker_answers(bootstrap: str) -> bool:
    import socket

    host, port = bootstrap.rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
        return True
    except OSError:
        return False


async def _inbox_is(db: Database, n: int) -> bool:
    return await inbox_count(db) == n
