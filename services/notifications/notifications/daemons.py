"""The ``deliver`` daemon: works the durable schedules in the database until stopped — webhook
deliveries and notice mails, each in its own loop.

Each turn claims what is due (a lease, so a second daemon or a restarted one never sends the
same delivery twice at once, and a crashed one's claims come due again), sends each claimed
delivery in its own task, and records the answer. In-flight work is bounded by the batch size
and, per endpoint, by the concurrency setting (counted in the database across daemons).
"""

from __future__ import annotations

import asyncio
import logging
import random

from dgplan_shared.db.types import utcnow
from dgplan_shared.outbox_wakeup import CommitWakeup
from dgplan_shared.service import Runtime

from notifications.adapters.secret_box import SecretBox
from notifications.adapters.smtp_sender import SmtpSender
from notifications.adapters.webhook_sender import WebhookSender
from notifications.application.deliveries import (
    DELIVERIES_DUE,
    ClaimDue,
    Due,
    RecordOutcome,
    claim_due,
    next_due,
    record_outcome,
)
from notifications.application.mail_schedule import (
    ClaimMails,
    MailToSend,
    NoticeNearDeadlines,
    RecordMail,
    claim_mails,
    notice_near_deadlines,
    record_mail,
)
from notifications.domain.url_policy import Allowlist
from notifications.settings import Settings

log = logging.getLogger("notifications.delivery")
mail_log = logging.getLogger("notifications.mail")


async def run(runtime: Runtime, stop: asyncio.Event) -> None:
    """Webhook deliveries and notice mails, each its own loop; one process role for both (the
    same durable-schedule shape, and one Deployment to run)."""
    await asyncio.gather(_webhooks(runtime, stop), _mails(runtime, stop))


async def _webhooks(runtime: Runtime, stop: asyncio.Event) -> None:
    settings = runtime.settings
    assert isinstance(settings, Settings)
    sender = WebhookSender(Allowlist.parse(settings.webhook_allowlist), settings.webhook_timeout_seconds,
                           settings.webhook_concurrency_per_endpoint)
    rng = random.Random()
    in_flight: set[asyncio.Task[None]] = set()
    wakeup = CommitWakeup(DELIVERIES_DUE, runtime.db)
    await wakeup.start()
    try:
        while not stop.is_set():
            room = settings.webhook_batch_size - len(in_flight)
            due: list[Due] = []
            claimed = True
            if room > 0:
                try:
                    due = await _claim(runtime, settings, room)
                except Exception as exc:  # noqa: BLE001 - a database outage is waited out, not fatal
                    claimed = False
                    log.warning("claiming due deliveries failed", extra={"error": repr(exc)})
            for item in due:
                task = asyncio.create_task(_deliver(runtime, settings, sender, item, rng))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
            if not due or len(due) < room:
                # Everything claimable now is claimed (what is left is due later, or waits for its
                # endpoint's bound): sleep until a commit makes more due, the next retry is due, or
                # a send in flight finishes (its place under the endpoint's bound is taken at once,
                # else one endpoint's backlog would go out at most ``concurrency`` per pause).
                pause = await _pause_seconds(runtime, settings, wakeup) if claimed else settings.webhook_poll_interval_seconds
                await wakeup.wait(stop, pause, also=in_flight)
    finally:
        await wakeup.close()
        if in_flight:
            # Let sends in progress finish (bounded by the timeout); what is cut short is re-sent
            # with the same webhook-id once its lease runs out.
            await asyncio.wait(in_flight, timeout=settings.webhook_timeout_seconds + 1)
        await sender.close()


async def _pause_seconds(runtime: Runtime, settings: Settings, wakeup: CommitWakeup) -> float:
    """How long an idle daemon may sleep: until the earliest retry or lease comes due, at most the
    safety poll while commits wake it; the fast poll while they cannot (no LISTEN)."""
    if not wakeup.complete:
        return settings.webhook_poll_interval_seconds
    try:
        async with runtime.uow() as uow:
            at = await next_due(uow)
    except Exception as exc:  # noqa: BLE001 - the next claim reports the outage
        log.debug("next due delivery unknown", extra={"error": repr(exc)})
        return settings.webhook_poll_interval_seconds
    if at is None:
        return settings.webhook_idle_poll_seconds
    # Due already yet not claimed: it waits for its endpoint's bound, and the attempt that frees
    # the place wakes the daemon (record_outcome raises the key).
    until = (at - utcnow()).total_seconds()
    return settings.webhook_idle_poll_seconds if until <= 0 else min(until, settings.webhook_idle_poll_seconds)


def secret_box(settings: Settings) -> SecretBox:
    return SecretBox.from_setting(settings.secret_keys.get_secret_value())


async def _claim(runtime: Runtime, settings: Settings, room: int) -> list[Due]:
    async with runtime.uow() as uow:
        due = await claim_due(ClaimDue(utcnow(), settings.webhook_lease_seconds, room,
                                       settings.webhook_concurrency_per_endpoint, secret_box(settings)), uow)
        await uow.commit()
    return due


async def _deliver(runtime: Runtime, settings: Settings, sender: WebhookSender, item: Due,
                   rng: random.Random) -> None:
    delivery = item.delivery
    attempted_at = utcnow()
    result = await sender.send(delivery.url, delivery.id, delivery.body, item.secrets, attempted_at)
    command = RecordOutcome(
        delivery_id=delivery.id, endpoint_id=delivery.endpoint_id, lease_until=delivery.lease_until,
        attempts_before=delivery.attempts,
        attempted_at=attempted_at, status_code=result.status_code, latency_ms=result.latency_ms,
        retry_after=result.retry_after, error=result.error, schedule_factor=settings.webhook_schedule_factor,
        jitter=settings.webhook_jitter, max_retry_after=settings.webhook_max_retry_after_seconds,
    )
    try:
        async with runtime.uow() as uow:
            await record_outcome(command, uow, rng)
            await uow.commit()
    except Exception as exc:  # noqa: BLE001 - the lease expires and the delivery goes again
        log.warning("recording a delivery attempt failed", extra={"delivery_id": delivery.id, "error": repr(exc)})


MAIL_BATCH = 20


async def _mails(runtime: Runtime, stop: asyncio.Event) -> None:
    """Near-deadline notices, then due mails sent through SMTP one at a time (notice mails are small
    and people are few). Without NOTIFICATIONS_SMTP_HOST (``make run``) nothing is sent: mails stay
    pending, visible to their person at ``/api/v1/notices/me/mails``."""
    settings = runtime.settings
    assert isinstance(settings, Settings)
    sender = SmtpSender(settings)
    box = SecretBox.from_setting(settings.secret_keys.get_secret_value())
    if not sender.configured:
        mail_log.warning("NOTIFICATIONS_SMTP_HOST is unset: e-mail notices are queued, not sent")
    while not stop.is_set():
        busy = False
        try:
            busy = await _turn(runtime, settings, sender, box)
        except Exception as exc:  # noqa: BLE001 - a database outage is waited out, not fatal
            mail_log.warning("the mail loop failed a turn", extra={"error": repr(exc)})
        if not busy:
            try:
                await asyncio.wait_for(stop.wait(), settings.notice_poll_interval_seconds)
            except TimeoutError:
                pass


async def _turn(runtime: Runtime, settings: Settings, sender: SmtpSender, box: SecretBox) -> bool:
    now = utcnow()
    async with runtime.uow() as uow:
        await notice_near_deadlines(NoticeNearDeadlines(now, settings.notice_deadline_lead_seconds), uow)
        await uow.commit()
    if not sender.configured:
        return False
    async with runtime.uow() as uow:
        due = await claim_mails(ClaimMails(now, settings.smtp_timeout_seconds * 2 + 30, MAIL_BATCH,
                                           settings.notice_digest_window_seconds, settings.console_url,
                                           settings.public_api_url, box), uow)
        await uow.commit()
    for item in due:
        await _send_mail(runtime, settings, sender, item)
    return bool(due)


async def _send_mail(runtime: Runtime, settings: Settings, sender: SmtpSender, item: MailToSend) -> None:
    mail = item.mail
    msg = sender.message(mail.id, item.to_address, item.language, item.rendered.title, item.rendered.text,
                         item.unsubscribe_url)
    result = await sender.send(msg)
    if not result.ok:
        mail_log.info("a notice mail was not sent", extra={"mail_id": mail.id, "error": result.error})
    try:
        async with runtime.uow() as uow:
            await record_mail(RecordMail(mail.id, mail.lease_until, mail.attempts, utcnow(), result.ok,
                                         result.permanent, result.error, item.to_address, item.rendered.title,
                                         settings.notice_retry_factor), uow)
            await uow.commit()
    except Exception as exc:  # noqa: BLE001 - the lease expires and the mail goes again
        mail_log.warning("recording a mail failed", extra={"mail_id": mail.id, "error": repr(exc)})
