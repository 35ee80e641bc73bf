"""E-mail notices across services over real Apache Kafka and PostgreSQL, every process as deployed:
the gateway's governance seed publishes the committee's memberships, its consumer starts plan
approval when a version is submitted (the event as the registry's relay publishes it) and its relay
publishes ``workflow.stage-entered``; the notifications consumer turns that into notices and its
``deliver`` daemon mails each committee member, in Thai, with the link to the console's decision
page, through a real SMTP server (aiosmtpd) on 127.0.0.1. The overdue notice, published twice, is
mailed once."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from dgplan_contracts.identity import BODY_MEMBER
from dgplan_shared.bus.base import OutgoingRecord
from dgplan_shared.bus.kafka import KafkaBus
from dgplan_shared.db.migrations import upgrade
from dgplan_shared.db.provisioning import create_postgres_database
from dgplan_shared.events import CloudEvent, topic_for
from dgplan_shared.registry import installed_services
from dgplan_shared.service import create_service_app
from dgplan_shared.testing.clients import asgi_client, identity_headers
from notifications.definition import definition
from notifications.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services" / "notifications" / "tests"))

from smtp_mailbox import Mailbox, text_of  # noqa: E402

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]
SECRET = "kafka-email-notices-internal-secret-of-this-test"
COMMITTEE_MEMBERS = ("demo-dgc-chair", "demo-dgc-member-1", "demo-dgc-member-2")
CONSOLE = "https://console.example.go.th"


def _env(prefix: str, database_url: str, kafka: str, topic_prefix: str, **more: str) -> dict[str, str]:
    return {
        **os.environ,
        f"{prefix}_DATABASE_URL": database_url,
        f"{prefix}_BUS": "kafka",
        f"{prefix}_KAFKA_BOOTSTRAP_SERVERS": kafka,
        f"{prefix}_KAFKA_TOPIC_PREFIX": topic_prefix,
        f"{prefix}_CONSUMER_SESSION_TIMEOUT_MS": "6000",
        f"{prefix}_INTERNAL_AUTH_SECRET": SECRET,
        f"{prefix}_LOG_LEVEL": "INFO",
        **{f"{prefix}_{k.upper()}": v for k, v in more.items()},
    }


def _start(package: str, role: str, env: dict[str, str], logs: Path) -> subprocess.Popen:
    out = open(logs / f"{package}.{role}.log", "ab")
    try:
        return subprocess.Popen([sys.executable, "-m", package, role], env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    finally:
        out.close()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(20)


def _log_tails(logs: Path) -> str:
    """Each process's last lines, so a stalled hop names itself in the failure."""
    return "".join(f"\n--- {log.name} ---\n{log.read_text(errors='replace')[-3000:]}"
                   for log in sorted(logs.glob("*.log")))


async def _until(check, timeout: float, what: str, logs: Path) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}{_log_tails(logs)}")


async def test_a_submitted_version_mails_each_committee_member_and_an_overdue_stage_once(
    postgres_server, kafka_bootstrap, tmp_path
):
    services = installed_services()
    gateway_url = await create_postgres_database(postgres_server, "gateway_mail")
    notices_url = await create_postgres_database(postgres_server, "notifications_mail")
    await asyncio.to_thread(upgrade, services["gateway"].migrations, gateway_url)
    await asyncio.to_thread(upgrade, definition().migrations, notices_url)
    topic_prefix = f"mail{uuid.uuid4().hex[:6]}-"
    bus = KafkaBus(bootstrap_servers=kafka_bootstrap, topic_prefix=topic_prefix, client_id="mail-test-producer",
                   partitions=3, replication_factor=1)
    await bus.start()
    await bus.ensure_topics(sorted({*services["gateway"].subscriptions, *definition().subscriptions}))
    mailbox = Mailbox().start()
    gateway_env = _env("GATEWAY", gateway_url, kafka_bootstrap, topic_prefix)
    notices_env = _env("NOTIFICATIONS", notices_url, kafka_bootstrap, topic_prefix, smtp_host="127.0.0.1",
                       smtp_port=str(mailbox.port), smtp_starttls="false", console_url=CONSOLE,
                       notice_poll_interval_seconds="0.1")
    seeded = subprocess.run([sys.executable, "-m", "gateway", "seed-governance"], env=gateway_env,
                            capture_output=True, text=True, timeout=120)
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    processes = [_start("gateway", "relay", gateway_env, tmp_path), _start("gateway", "consumer", gateway_env, tmp_path),
                 _start("notifications", "consumer", notices_env, tmp_path),
                 _start("notifications", "deliver", notices_env, tmp_path)]
    settings = Settings(database_url=notices_url, bus="memory", internal_auth_secret=SECRET)
    app = create_service_app(definition(), settings)
    try:
        async with asgi_client(app) as api:
            for member in (*COMMITTEE_MEMBERS, "demo-nesdc"):
                headers = identity_headers(settings, subject=member, roles=[BODY_MEMBER])
                put = await api.put("/api/v1/notices/me", json={"email": f"{member}@mail.example.go.th"},
                                    headers=headers)
                assert put.status_code == 200, put.text
        submitted = CloudEvent.new("plan-registry", "dgplan.plan-registry.plan.version-submitted.v1", "plan-k", {
            "plan_id": "plan-k", "version_id": "ver-k1", "number": 1, "revision_of_version_id": None,
            "submitted_by": "demo-secretariat"})
        await bus.publish([OutgoingRecord(topic_for(submitted.type), submitted.subject, submitted.to_json(),
                                          submitted.kafka_headers())])
        await _until(lambda: len(mailbox.received) >= 3, 90, "a notice in each committee member's mailbox",
                     tmp_path)
        await asyncio.sleep(1.0)
        assert sorted(rcpt for rcpt, _ in mailbox.received) == sorted(
            f"{m}@mail.example.go.th" for m in COMMITTEE_MEMBERS)  # NESDC does not decide this stage
        links = set()
        for _, message in mailbox.received:
            body = text_of(message)
            assert message["Subject"] == "มีเรื่องรอการพิจารณาของท่าน"
            found = re.search(rf"{re.escape(CONSOLE)}/inbox/([0-9a-f-]{{36}})", body)
            assert found, body
            links.add(found.group(1))
        [instance_id] = links  # every member is sent to the same decision page

        # The scheduler's overdue notice, published twice (a relay retry): one mail per member.
        overdue = CloudEvent.new("gateway", "dgplan.gateway.workflow.stage-overdue.v1", instance_id, {
            "instance_id": instance_id, "workflow": "plan-approval", "stage": "committee",
            "body": "digital-government-committee", "deadline": "2021-03-01T00:00:00Z",
            "escalated_to": "digital-government-committee", "plan_id": "plan-k", "version_id": "ver-k1",
            "round_id": None})
        record = OutgoingRecord(topic_for(overdue.type), overdue.subject, overdue.to_json(), overdue.kafka_headers())
        await bus.publish([record])
        await bus.publish([record])
        await _until(lambda: len(mailbox.received) >= 6, 60, "the overdue notices", tmp_path)
        await asyncio.sleep(2.0)
        overdue_mails = [m for _, m in mailbox.received if m["Subject"] == "เลยกำหนดพิจารณาแล้ว"]
        assert len(overdue_mails) == 3 and len(mailbox.received) == 6
    finally:
        for process in processes:
            _stop(process)
        await bus.stop()
        mailbox.stop()
