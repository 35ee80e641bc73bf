"""Webhooks over real Apache Kafka and PostgreSQL: the notifications consumer and delivery daemon run
as their own processes (as deployed), events arrive on the producers' topics as their relays
publish them, and an agency's receiver on 127.0.0.1 gets its events once each (by webhook-id),
every one signed, nothing of the other agency's — also while it answers 503 for a while and after
the consumer is SIGKILLed; a replay re-delivers with the same ids."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from standardwebhooks import Webhook

from dgplan_contracts.identity import AGENCY
from dgplan_shared.bus.base import OutgoingRecord
from dgplan_shared.bus.kafka import KafkaBus
from dgplan_shared.db.migrations import upgrade
from dgplan_shared.db.provisioning import create_postgres_database
from dgplan_shared.events import CloudEvent, topic_for
from dgplan_shared.service import create_service_app
from dgplan_shared.testing.clients import asgi_client, identity_headers
from notifications.definition import definition
from notifications.events.types import SUBSCRIPTIONS
from notifications.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services" / "notifications" / "tests"))

from notification_test_events import (  # noqa: E402
    decision_recorded,
    package_submitted,
    project_registered,
    request_submitted,
    round_opened,
)
from webhook_receiver import Receiver  # noqa: E402

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]
SECRET = "kafka-webhooks-internal-secret-of-this-test"


def _env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "NOTIFICATIONS_DATABASE_URL": settings.database_url,
        "NOTIFICATIONS_BUS": "kafka",
        "NOTIFICATIONS_KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "NOTIFICATIONS_KAFKA_TOPIC_PREFIX": settings.kafka_topic_prefix,
        "NOTIFICATIONS_CONSUMER_SESSION_TIMEOUT_MS": "6000",
        "NOTIFICATIONS_INTERNAL_AUTH_SECRET": SECRET,
        "NOTIFICATIONS_WEBHOOK_ALLOWLIST": "127.0.0.1",
        # The Standard Webhooks schedule shrunk a thousandfold: 5 ms, 0.3 s, 1.8 s, 7.2 s, ...
        "NOTIFICATIONS_WEBHOOK_SCHEDULE_FACTOR": "0.001",
        "NOTIFICATIONS_WEBHOOK_JITTER": "0",
        "NOTIFICATIONS_LOG_LEVEL": "WARNING",
    }


def _start(role: str, settings: Settings, logs: Path) -> subprocess.Popen:
    out = open(logs / f"notifications.{role}.log", "ab")
    try:
        return subprocess.Popen([sys.executable, "-m", "notifications", role], env=_env(settings),
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    finally:
        out.close()


def _kill(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(20)


async def _publish(bus: KafkaBus, *events: CloudEvent) -> None:
    # As each producer's relay does: topic per service and aggregate, key = subject, ce_* headers.
    await bus.publish([OutgoingRecord(topic_for(e.type), e.subject, e.to_json(), e.kafka_headers()) for e in events])


async def _until(check, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


async def _succeeded(api, endpoint: str, headers: dict[str, str], count: int) -> bool:  # type: ignore[no-untyped-def]
    page = (await api.get(f"/api/v1/webhooks/endpoints/{endpoint}/deliveries", headers=headers,
                          params={"status": "succeeded", "limit": 200})).json()
    return len(page["items"]) == count


def _distinct(receiver: Receiver) -> dict[str, dict]:
    """What a receiver that de-duplicates by webhook-id applies: webhook-id -> verified payload."""
    return {r.headers["webhook-id"]: json.loads(r.body) for r in receiver.received}


async def test_an_agency_receives_its_events_once_signed_through_503s_a_killed_consumer_and_a_replay(
    postgres_server, kafka_bootstrap, tmp_path
):
    url = await create_postgres_database(postgres_server, f"notifications_wh_{uuid.uuid4().hex[:6]}")
    await asyncio.to_thread(upgrade, definition().migrations, url)
    settings = Settings(database_url=url, bus="kafka", kafka_bootstrap_servers=kafka_bootstrap,
                        kafka_topic_prefix=f"wh{uuid.uuid4().hex[:6]}-", webhook_allowlist="127.0.0.1",
                        internal_auth_secret=SECRET)
    bus = KafkaBus(bootstrap_servers=kafka_bootstrap, topic_prefix=settings.kafka_topic_prefix,
                   client_id="webhooks-test-producer", partitions=3, replication_factor=1)
    await bus.start()
    await bus.ensure_topics(list(SUBSCRIPTIONS))

    unavailable = {"until": None}

    def answer(_: int) -> tuple[int, dict[str, str]]:
        # Down for 2.5 s from the first request on: retries come at 5 ms, 0.3 s, 1.8 s, then 7.2 s.
        if unavailable["until"] is None:
            unavailable["until"] = time.monotonic() + 2.5
        return (503, {}) if time.monotonic() < unavailable["until"] else (204, {})

    mof_rx = await Receiver(answer=answer).start()
    opdc_rx = await Receiver().start()
    consumer = _start("consumer", settings, tmp_path)
    daemon = _start("deliver", settings, tmp_path)
    app = create_service_app(definition(), settings.model_copy(update={"bus": "memory"}))
    try:
        async with asgi_client(app) as api:
            mof = identity_headers(settings, subject="mof-erp", roles=[AGENCY], agency="MOF")
            opdc = identity_headers(settings, subject="opdc-erp", roles=[AGENCY], agency="OPDC")
            created = await api.post("/api/v1/webhooks/endpoints", json={"url": mof_rx.url},
                                     headers={**mof, "Idempotency-Key": uuid.uuid4().hex})
            assert created.status_code == 201, created.text
            endpoint, secret = created.json()["id"], created.json()["secret"]
            opdc_secret = (await api.post("/api/v1/webhooks/endpoints", json={"url": opdc_rx.url},
                                          headers={**opdc, "Idempotency-Key": uuid.uuid4().hex})).json()["secret"]
            started = created.json()["created_at"]

            first = [project_registered("P-MOF", "MOF"), project_registered("P-OPDC", "OPDC"), round_opened(),
                     request_submitted("R-MOF", "P-MOF", "MOF"), request_submitted("R-OPDC", "P-OPDC", "OPDC")]
            await _publish(bus, *first)
            # Delivered once the receiver is back (the fifth attempt, about 9 s after the first).
            await _until(lambda: _succeeded(api, endpoint, mof, 3), 120, "MOF's first three events delivered")
            assert unavailable["until"] is not None and time.monotonic() > unavailable["until"]

            _kill(consumer)  # SIGKILL mid-run; events published meanwhile wait on Kafka
            second = [decision_recorded("R-MOF"), decision_recorded("R-OPDC"), package_submitted(),
                      round_opened("round-2566")]
            await _publish(bus, *second)
            consumer = _start("consumer", settings, tmp_path)
            await _until(lambda: _succeeded(api, endpoint, mof, 5), 120, "MOF's five events after the restart")
            await _until(lambda: len(_distinct(opdc_rx)) == 5, 60, "OPDC's five events")
            await asyncio.sleep(1.0)  # nothing more is on its way

            assert len(mof_rx.received) > 5, "the 503s must have caused retries"
            for received in mof_rx.received:  # every attempt, also those answered 503, is signed
                Webhook(secret).verify(received.body, received.headers)
            for received in opdc_rx.received:
                Webhook(opdc_secret).verify(received.body, received.headers)
            applied = _distinct(mof_rx)
            expected = {e.id for e in (first[0], first[2], first[3], second[0], second[3])}
            assert {p["data"]["id"] for p in applied.values()} == expected
            assert len(applied) == len(expected)  # once each: one webhook-id per event
            assert all("OPDC" not in json.dumps(p) for p in applied.values())

            deliveries = (await api.get(f"/api/v1/webhooks/endpoints/{endpoint}/deliveries", headers=mof)).json()
            assert {d["status"] for d in deliveries["items"]} == {"succeeded"}
            assert any(a["status_code"] == 503 for d in deliveries["items"] for a in d["attempts"])

            before_replay = len(mof_rx.received)
            replayed = await api.post(f"/api/v1/webhooks/endpoints/{endpoint}/replay", json={"since": started},
                                      headers={**mof, "Idempotency-Key": uuid.uuid4().hex})
            assert replayed.status_code == 202 and replayed.json()["scheduled"] == len(expected)
            await _until(lambda: len(mof_rx.received) >= before_replay + len(expected), 60, "the replay")
            again = mof_rx.received[before_replay:]
            assert {r.headers["webhook-id"] for r in again} == set(applied)
            for received in again:
                Webhook(secret).verify(received.body, received.headers)
    finally:
        _kill(consumer, signal.SIGTERM)
        _kill(daemon, signal.SIGTERM)
        await bus.stop()
        await mof_rx.stop()
        await opdc_rx.stop()
