"""Delivery end to end on a committed database: the inbox fans events out, the real daemon sends
them to a real receiver on 127.0.0.1, signed per Standard Webhooks; retries, Retry-After, 410,
auto-disable, rotation, replay, leases and the per-endpoint concurrency bound."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from sqlalchemy import select
from standardwebhooks import Webhook

from dgplan_contracts.identity import AGENCY, SECRETARIAT
from notifications.adapters.tables import deliveries, endpoints, outbox
from notifications.application import queries, replay, rotate_secret, send_test
from notifications.application.deliveries import ClaimDue, claim_due
from notifications.events.types import ENDPOINT_DISABLED, TEST_EVENT
from notification_test_events import (
    decision_recorded,
    feed,
    live_runtime,
    package_submitted,
    principal,
    project_registered,
    request_submitted,
    round_opened,
    subscribe,
)
from webhook_receiver import Receiver

from notifications.adapters.secret_box import SecretBox

from dgplan_shared.db.types import utcnow

BOX = SecretBox.from_setting("")  # the development key, which the live runtimes use too


@pytest.fixture
async def receivers():
    started: list[Receiver] = []

    async def make(**kwargs) -> Receiver:  # type: ignore[no-untyped-def]
        receiver = await Receiver(**kwargs).start()
        started.append(receiver)
        return receiver

    yield make
    for receiver in started:
        await receiver.stop()


def verified(receiver: Receiver, secret: str) -> list[dict]:
    """Every body the receiver got, each checked with the library's own verification."""
    return [Webhook(secret).verify(r.body, r.headers) for r in receiver.received]


def agency_events():
    return [
        project_registered("P-MOF", "MOF"), project_registered("P-OPDC", "OPDC"), round_opened(),
        request_submitted("R-MOF", "P-MOF", "MOF"), request_submitted("R-OPDC", "P-OPDC", "OPDC"),
        decision_recorded("R-MOF"), decision_recorded("R-OPDC"), package_submitted(),
    ]


async def test_each_agency_gets_its_own_and_public_events_once_and_signed(fresh_database_url, receivers):
    mof_rx, opdc_rx, sec_rx = await receivers(), await receivers(), await receivers()
    async with live_runtime(await fresh_database_url()) as runtime:
        mof = await subscribe(runtime, mof_rx.url, principal(AGENCY, "MOF"))
        opdc = await subscribe(runtime, opdc_rx.url, principal(AGENCY, "OPDC"),
                               event_types=["dgplan.budget-ledger.screening.*"])
        sec = await subscribe(runtime, sec_rx.url, principal(SECRETARIAT))
        events = agency_events()
        assert await feed(runtime, *events) == ["processed"] * len(events)
        assert await feed(runtime, *events) == ["duplicate"] * len(events)  # redelivered by the bus
        await mof_rx.wait_for(4)
        await opdc_rx.wait_for(3)
        await sec_rx.wait_for(len(events))
        await asyncio.sleep(0.3)  # nothing more arrives

    mof_got = verified(mof_rx, mof.secret)
    assert sorted(p["data"]["subject"] for p in mof_got) == ["P-MOF", "R-MOF", "R-MOF", "round-2565"]
    assert all("OPDC" not in json.dumps(p) for p in mof_got)
    opdc_got = verified(opdc_rx, opdc.secret)
    assert sorted(p["type"].rsplit(".", 2)[-2] for p in opdc_got) == [
        "decision-recorded", "request-submitted", "round-opened"]
    assert all("MOF" not in json.dumps(p) for p in opdc_got)
    assert {p["data"]["id"] for p in verified(sec_rx, sec.secret)} == {e.id for e in events}
    for receiver in (mof_rx, opdc_rx, sec_rx):
        ids = [r.headers["webhook-id"] for r in receiver.received]
        assert len(ids) == len(set(ids))
    payload = mof_got[0]
    assert set(payload) == {"type", "timestamp", "data"} and payload["type"] == payload["data"]["type"]


async def test_a_receiver_answering_503_gets_everything_later_with_the_same_ids(fresh_database_url, receivers):
    rx = await receivers(answer=lambda n: (503, {}) if n <= 3 else (200, {}))
    async with live_runtime(await fresh_database_url(), webhook_schedule_factor=0.001) as runtime:
        created = await subscribe(runtime, rx.url, principal(SECRETARIAT))
        await feed(runtime, round_opened())
        await rx.wait_for(4)
        await asyncio.sleep(0.1)
        async with runtime.uow() as uow:
            rows, _ = await queries.list_deliveries(
                queries.ListDeliveries(principal(SECRETARIAT), created.endpoint.id, None, 10, None), uow)
    assert len({r.headers["webhook-id"] for r in rx.received}) == 1
    assert [a.status_code for a in rows[0].history] == [503, 503, 503, 200]
    assert rows[0].status == "succeeded" and all(a.latency_ms >= 0 for a in rows[0].history)
    assert len(verified(rx, created.secret)) == 4


async def test_retry_after_is_honoured(fresh_database_url, receivers):
    rx = await receivers(answer=lambda n: (503, {"Retry-After": "1"}) if n == 1 else (204, {}))
    async with live_runtime(await fresh_database_url(), webhook_schedule_factor=0.001) as runtime:
        await subscribe(runtime, rx.url, principal(SECRETARIAT))
        await feed(runtime, round_opened())
        started = time.monotonic()
        await rx.wait_for(2)
        assert time.monotonic() - started >= 0.95  # the schedule alone would have retried after 5 ms


async def test_410_disables_the_endpoint_with_an_event_and_nothing_more_is_sent(fresh_database_url, receivers):
    rx = await receivers(answer=lambda n: (410, {}))
    async with live_runtime(await fresh_database_url()) as runtime:
        created = await subscribe(runtime, rx.url, principal(AGENCY, "MOF"))
        await feed(runtime, round_opened())
        await rx.wait_for(1)
        await asyncio.sleep(0.2)
        await feed(runtime, round_opened("round-2566"))
        await asyncio.sleep(0.3)
        async with runtime.db.session() as session:
            endpoint = (await session.execute(select(endpoints).where(endpoints.c.id == created.endpoint.id))).one()
            notices = (await session.execute(select(outbox.c.event_type, outbox.c.envelope))).all()
    assert len(rx.received) == 1
    assert endpoint.status == "disabled" and "410" in endpoint.disabled_reason
    assert [n.event_type for n in notices] == [ENDPOINT_DISABLED]
    assert json.loads(notices[0].envelope)["data"]["agency"] == "MOF"


async def test_failing_every_attempt_of_the_schedule_disables_the_endpoint(fresh_database_url, receivers):
    rx = await receivers(answer=lambda n: (500, {}))
    # The whole schedule (about 75 hours) shrunk to about 3 s; the same code path as production.
    async with live_runtime(await fresh_database_url(), webhook_schedule_factor=0.00001) as runtime:
        created = await subscribe(runtime, rx.url, principal(SECRETARIAT))
        await feed(runtime, round_opened())
        await rx.wait_for(10, timeout=20)
        await asyncio.sleep(0.3)
        async with runtime.db.session() as session:
            delivery = (await session.execute(select(deliveries))).one()
            endpoint = (await session.execute(select(endpoints).where(endpoints.c.id == created.endpoint.id))).one()
            notices = (await session.execute(select(outbox.c.event_type))).scalars().all()
    assert len(rx.received) == 10
    assert delivery.status == "failed" and delivery.attempts == 10 and delivery.last_status_code == 500
    assert endpoint.status == "disabled" and "all 10 attempts" in endpoint.disabled_reason
    assert notices == [ENDPOINT_DISABLED]


async def test_during_a_rotation_both_secrets_sign_then_only_the_new_one(fresh_database_url, receivers):
    rx = await receivers()
    owner = principal(SECRETARIAT)
    async with live_runtime(await fresh_database_url()) as runtime:
        created = await subscribe(runtime, rx.url, owner)
        async with runtime.uow() as uow:
            rotated = await rotate_secret.handle(rotate_secret.RotateSecret(owner, created.endpoint.id, 600, 86400, BOX), uow)
            await uow.commit()
        await feed(runtime, round_opened())
        await rx.wait_for(1)
        async with runtime.uow() as uow:
            again = await rotate_secret.handle(rotate_secret.RotateSecret(owner, created.endpoint.id, 0, 86400, BOX), uow)
            await uow.commit()
        await feed(runtime, round_opened("round-2566"))
        await rx.wait_for(2)
    during, after = rx.received
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    for secret in (created.secret, rotated.secret):
        Webhook(secret).verify(during.body, during.headers)
    # The first rotation's overlap still runs: the original secret signs too, the middle one is gone.
    signatures = after.headers["webhook-signature"].split(" ")
    assert len(signatures) == 2
    Webhook(again.secret).verify(after.body, after.headers)
    Webhook(created.secret).verify(after.body, after.headers)
    with pytest.raises(Exception):
        Webhook(rotated.secret).verify(after.body, after.headers)


async def test_replays_redeliver_with_the_same_webhook_ids(fresh_database_url, receivers):
    rx = await receivers()
    owner = principal(AGENCY, "MOF")
    async with live_runtime(await fresh_database_url()) as runtime:
        created = await subscribe(runtime, rx.url, owner)
        before = utcnow()
        await feed(runtime, round_opened(), round_opened("round-2566"))
        await rx.wait_for(2)
        first_ids = sorted(r.headers["webhook-id"] for r in rx.received)
        async with runtime.uow() as uow:
            await replay.replay_one(replay.ReplayDelivery(owner, created.endpoint.id, first_ids[0]), uow)
            await uow.commit()
        await rx.wait_for(3)
        async with runtime.uow() as uow:
            replayed = await replay.replay_since(replay.ReplaySince(owner, created.endpoint.id, before), uow)
            await uow.commit()
        await rx.wait_for(5)
    assert replayed.scheduled == 2
    ids = [r.headers["webhook-id"] for r in rx.received]
    assert ids[2] == first_ids[0] and sorted(ids[3:]) == first_ids
    assert all(p for p in verified(rx, created.secret))


async def test_a_test_event_is_sent_signed_to_the_endpoint(fresh_database_url, receivers):
    rx = await receivers()
    owner = principal(AGENCY, "MOF")
    async with live_runtime(await fresh_database_url()) as runtime:
        created = await subscribe(runtime, rx.url, owner, event_types=["dgplan.plan-registry.*"])
        async with runtime.uow() as uow:
            scheduled = await send_test.handle(send_test.SendTest(owner, created.endpoint.id, "notifications"), uow)
            await uow.commit()
        await rx.wait_for(1)
    payload = verified(rx, created.secret)[0]
    assert payload["type"] == TEST_EVENT and rx.received[0].headers["webhook-id"] == scheduled.delivery_id


async def test_a_delivery_claimed_by_a_daemon_that_died_goes_out_once_its_lease_ends(fresh_database_url, receivers):
    rx = await receivers()
    url = await fresh_database_url()
    async with live_runtime(url, daemon=False) as runtime:
        await subscribe(runtime, rx.url, principal(SECRETARIAT))
        await feed(runtime, round_opened())
        async with runtime.uow() as uow:  # a daemon claims it and dies before sending
            claimed = await claim_due(ClaimDue(utcnow(), 0.6, 10, 4, BOX), uow)
            await uow.commit()
    assert len(claimed) == 1
    async with live_runtime(url):
        await asyncio.sleep(0.3)
        assert rx.received == []  # still leased
        await rx.wait_for(1)
    assert rx.received[0].headers["webhook-id"] == claimed[0].delivery.id


async def test_deliveries_to_one_endpoint_are_bounded_in_concurrency(fresh_database_url, receivers):
    rx = await receivers(delay=0.2)
    async with live_runtime(await fresh_database_url(), webhook_concurrency_per_endpoint=2) as runtime:
        await subscribe(runtime, rx.url, principal(SECRETARIAT))
        await feed(runtime, *[round_opened(f"round-{n}") for n in range(8)])
        await rx.wait_for(8)
    assert rx.max_in_flight == 2


async def test_an_address_no_longer_allowlisted_is_refused_at_delivery(fresh_database_url, receivers):
    rx = await receivers()
    url = await fresh_database_url()
    async with live_runtime(url, daemon=False) as runtime:
        created = await subscribe(runtime, rx.url, principal(SECRETARIAT))
        await feed(runtime, round_opened())
    async with live_runtime(url, webhook_allowlist="", webhook_schedule_factor=0.001) as runtime:
        await asyncio.sleep(0.4)
        async with runtime.uow() as uow:
            rows, _ = await queries.list_deliveries(
                queries.ListDeliveries(principal(SECRETARIAT), created.endpoint.id, None, 10, None), uow)
    assert rx.received == []
    assert rows[0].history and all("URL policy" in (a.error or "") for a in rows[0].history)
