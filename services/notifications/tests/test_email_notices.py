"""E-mail notices end to end on a committed database: governance events fed through the real
inbox consumer, the real daemon's mail loop, and a real SMTP server (aiosmtpd) on 127.0.0.1
whose mailbox the tests read."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from notice_test_events import (
    COMMITTEE,
    CONSOLE,
    address,
    give_contact,
    mail_settings,
    membership,
    stage_entered,
    stage_overdue,
)
from notification_test_events import decision_recorded, feed, live_runtime, request_submitted
from notifications.adapters.secret_box import SecretBox
from notifications.adapters.tables import mails
from notifications.application import unsubscribe
from smtp_mailbox import Mailbox, text_of

MEMBERS = ("demo-dgc-chair", "demo-dgc-member-1", "demo-dgc-member-2")


@pytest.fixture
def mailbox():
    box = Mailbox().start()
    yield box
    box.stop()


async def committee(runtime, *, with_outsider: bool = True) -> None:  # type: ignore[no-untyped-def]
    events = [membership(COMMITTEE, MEMBERS[0], "chair"), membership(COMMITTEE, MEMBERS[1]),
              membership(COMMITTEE, MEMBERS[2])]
    if with_outsider:
        events.append(membership("nesdc", "demo-nesdc"))
    await feed(runtime, *events)
    for subject in (*MEMBERS, "demo-nesdc"):
        await give_contact(runtime, subject)


async def test_a_submitted_version_puts_a_thai_notice_with_the_decision_link_in_each_members_mailbox(
        fresh_database_url, mailbox):
    async with live_runtime(await fresh_database_url(), **mail_settings(mailbox.port)) as runtime:
        await committee(runtime)
        waiting = stage_entered()  # the engine started plan approval: the committee decides
        assert await feed(runtime, waiting) == ["processed"]
        await mailbox.wait_for(3)
        await asyncio.sleep(0.3)  # nothing more (the NESDC member is not on the committee)
    assert sorted(rcpt for rcpt, _ in mailbox.received) == sorted(address(m) for m in MEMBERS)
    instance = waiting.data["instance_id"]
    for member in MEMBERS:
        [message] = mailbox.of(address(member))
        body = text_of(message)
        assert message["Subject"] == "มีเรื่องรอการพิจารณาของท่าน" and message["Content-Language"] == "th"
        assert "รอการพิจารณาของ digital-government-committee" in body
        assert f"{CONSOLE}/inbox/{instance}" in body
        assert message["List-Unsubscribe"].startswith("<https://api.example.go.th/api/v1/notices/unsubscribe?token=")


async def test_a_member_whose_membership_arrives_after_the_stage_is_still_told_once(fresh_database_url, mailbox):
    # Memberships and stages come on different topics: a consumer catching up can see the stage
    # first. The member is told when the membership lands, and a redelivered stage tells nobody again.
    async with live_runtime(await fresh_database_url(), **mail_settings(mailbox.port)) as runtime:
        for subject in (*MEMBERS, "demo-nesdc"):
            await give_contact(runtime, subject)
        waiting, decided_elsewhere = stage_entered(), stage_entered(body="nesdc", stage="nesdc")
        await feed(runtime, waiting, decided_elsewhere)
        await feed(runtime, membership(COMMITTEE, MEMBERS[0], "chair"), membership(COMMITTEE, MEMBERS[1]))
        # A retired member's membership tells nothing; a late older revision changes nothing.
        await feed(runtime, membership(COMMITTEE, MEMBERS[2], active=False, revision=2),
                   membership(COMMITTEE, MEMBERS[2], revision=1))
        await mailbox.wait_for(2)
        assert await feed(runtime, waiting) == ["duplicate"]
        await feed(runtime, stage_entered(waiting.data["instance_id"]))  # re-published under a new id
        await asyncio.sleep(0.5)
    assert sorted(rcpt for rcpt, _ in mailbox.received) == sorted(address(m) for m in MEMBERS[:2])
    for _, message in mailbox.received:
        assert f"{CONSOLE}/inbox/{waiting.data['instance_id']}" in text_of(message)
        assert message["Subject"] == "มีเรื่องรอการพิจารณาของท่าน"


async def test_english_for_a_person_who_chose_it(fresh_database_url, mailbox):
    async with live_runtime(await fresh_database_url(), **mail_settings(mailbox.port)) as runtime:
        await feed(runtime, membership(COMMITTEE, "demo-dgc-member-1"))
        await give_contact(runtime, "demo-dgc-member-1", language="en")
        await feed(runtime, stage_entered())
        await mailbox.wait_for(1)
    [(_, message)] = mailbox.received
    assert message["Subject"] == "A decision waits for you" and "waits for digital-government-committee" in \
        text_of(message)


async def test_an_overdue_stage_sends_the_overdue_notice_once(fresh_database_url, mailbox):
    async with live_runtime(await fresh_database_url(), **mail_settings(mailbox.port)) as runtime:
        await committee(runtime, with_outsider=False)
        overdue = stage_overdue("inst-1")
        assert await feed(runtime, overdue, overdue) == ["processed", "duplicate"]
        # The same fact published again under a new event id (a replayed outbox) is still one notice.
        assert await feed(runtime, stage_overdue("inst-1")) == ["processed"]
        await mailbox.wait_for(3)
        await asyncio.sleep(0.4)
    assert sorted(rcpt for rcpt, _ in mailbox.received) == sorted(address(m) for m in MEMBERS)
    message = mailbox.of(address(MEMBERS[1]))[0]
    assert message["Subject"] == "เลยกำหนดพิจารณาแล้ว" and f"{CONSOLE}/inbox/inst-1" in text_of(message)


async def test_three_notices_of_one_kind_within_the_hour_make_one_digest(fresh_database_url, mailbox):
    url = await fresh_database_url()
    async with live_runtime(url, daemon=False, **mail_settings(mailbox.port)) as runtime:
        await feed(runtime, membership(COMMITTEE, "demo-dgc-member-1"))
        await give_contact(runtime, "demo-dgc-member-1")
        three = [stage_entered(f"inst-{n}") for n in range(3)]
        await feed(runtime, *three)
    async with live_runtime(url, **mail_settings(mailbox.port)) as runtime:
        await mailbox.wait_for(1)
        # A fourth within the hour waits for the window's end (and would take any more with it).
        await feed(runtime, stage_entered("inst-3"))
        await asyncio.sleep(0.5)
        async with runtime.db.session() as session:
            rows = (await session.execute(select(mails.c.status, mails.c.not_before, mails.c.sent_at)
                                          .order_by(mails.c.created_at))).all()
    [(_, digest)] = mailbox.received
    body = text_of(digest)
    assert digest["Subject"] == "มีเรื่องรอการพิจารณาของท่าน (3)"
    assert all(f"{CONSOLE}/inbox/inst-{n}" in body for n in range(3))
    assert [r.status for r in rows] == ["sent", "pending"]
    assert (rows[1].not_before - rows[0].sent_at).total_seconds() >= 3599


async def test_unsubscribing_from_one_kind_stops_that_kind_only(fresh_database_url, mailbox):
    async with live_runtime(await fresh_database_url(), **mail_settings(mailbox.port)) as runtime:
        await feed(runtime, membership(COMMITTEE, "demo-dgc-member-1"))
        await give_contact(runtime, "demo-dgc-member-1")
        await feed(runtime, stage_entered("inst-a"))
        await mailbox.wait_for(1)
        link = mailbox.received[0][1]["List-Unsubscribe"].strip("<>")
        token = parse_qs(urlparse(link).query)["token"][0]
        box = SecretBox.from_setting(runtime.settings.secret_keys.get_secret_value())  # type: ignore[attr-defined]
        async with runtime.uow() as uow:
            done = await unsubscribe.handle(unsubscribe.Unsubscribe(token, box), uow)
            await uow.commit()
        assert (done.kind, done.subscribed) == ("decision-waiting", False)
        await feed(runtime, stage_entered("inst-b"), stage_overdue("inst-c"))
        await mailbox.wait_for(2)
        await asyncio.sleep(0.4)
    assert [m["Subject"] for _, m in mailbox.received] == ["มีเรื่องรอการพิจารณาของท่าน", "เลยกำหนดพิจารณาแล้ว"]


async def test_with_the_smtp_server_down_the_mail_waits_and_goes_once_when_it_is_up(fresh_database_url):
    down = Mailbox()  # its port is chosen, nothing listens on it yet
    async with live_runtime(await fresh_database_url(), **mail_settings(down.port)) as runtime:
        await feed(runtime, membership(COMMITTEE, "demo-dgc-member-1"))
        await give_contact(runtime, "demo-dgc-member-1")
        await feed(runtime, stage_entered("inst-x"))
        await asyncio.sleep(0.6)  # several refused connections, each retried later
        async with runtime.db.session() as session:
            attempts, error = (await session.execute(select(mails.c.attempts, mails.c.last_error))).one()
        assert attempts >= 1 and error  # refused, and scheduled again
        up = down.start()
        try:
            await up.wait_for(1)
            await asyncio.sleep(0.5)
            async with runtime.db.session() as session:
                status = (await session.execute(select(mails.c.status))).scalar_one()
        finally:
            up.stop()
    assert len(up.received) == 1 and status == "sent"


async def test_a_near_deadline_is_told_once_and_a_stage_that_moved_on_is_not(fresh_database_url, mailbox):
    from datetime import datetime, timedelta, timezone  # lazy: only this test builds deadlines

    soon = datetime.now(timezone.utc) + timedelta(hours=1)
    url = await fresh_database_url()
    # Everything consumed before the daemon looks: inst-m has moved on to NESDC by then.
    async with live_runtime(url, daemon=False, **mail_settings(mailbox.port)) as runtime:
        await feed(runtime, membership(COMMITTEE, "demo-dgc-member-1"))
        await give_contact(runtime, "demo-dgc-member-1")
        await feed(runtime, stage_entered("inst-n", deadline=soon),
                   stage_entered("inst-m", deadline=soon),
                   stage_entered("inst-m", entry=2, stage="nesdc", body="nesdc", deadline=soon))
    async with live_runtime(url, **mail_settings(mailbox.port)):
        await mailbox.wait_for(2)
        await asyncio.sleep(0.5)  # the next scans tell nothing again
    subjects = sorted(m["Subject"] for _, m in mailbox.received)
    assert subjects == sorted(["มีเรื่องรอการพิจารณาของท่าน (2)", "ใกล้ครบกำหนดพิจารณา"])
    near = next(m for _, m in mailbox.received if m["Subject"] == "ใกล้ครบกำหนดพิจารณา")
    assert "inst-n" in text_of(near) and "inst-m" not in text_of(near)


async def test_an_agencys_people_hear_that_its_request_moved_on(fresh_database_url, mailbox):
    async with live_runtime(await fresh_database_url(), **mail_settings(mailbox.port)) as runtime:
        await give_contact(runtime, "mof-staff", agency="MOF")
        await give_contact(runtime, "opdc-staff", agency="OPDC")
        await feed(runtime, request_submitted("R-MOF", "P-MOF", "MOF"))
        await mailbox.wait_for(1)
        await asyncio.sleep(0.3)
    assert [rcpt for rcpt, _ in mailbox.received] == [address("mof-staff")]
    message = mailbox.received[0][1]
    assert message["Subject"] == "คำขอรับงบประมาณมีความคืบหน้า" and "R-MOF" in text_of(message)
    assert re.search(r"ยื่นแล้ว", text_of(message))
    assert decision_recorded  # the decision's notice merges into the next digest (see the digest test)
