"""The mail loop's use cases (run by the ``deliver`` daemon beside the webhooks): tell members
that a deadline is near, claim the mails that are due and say what each says, and record what
the SMTP server answered.

Sending happens between claim and record, outside any transaction. A claim is a lease and seals
the mail (later notices go to the next one), so a mail is sent by one daemon at a time and says
the same on every retry; a crash between the server's acceptance and the record could still send
it again, which the stable Message-ID lets mail systems recognise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from dgplan_shared.db.uow import UnitOfWork
from notifications.adapters.notice_mail_repository import DROPPED, FAILED, SENT, ClaimedMail, NoticeMails
from notifications.adapters.notice_people_repository import Contact, NoticePeople
from notifications.adapters.secret_box import SecretBox
from notifications.adapters.unsubscribe_tokens import make_token
from notifications.application.notice_intake import tell
from notifications.domain.notice_texts import Rendered, render
from notifications.domain.notices import DEADLINE_NEAR, DECISION_WAITING, STAGE_OVERDUE, earliest_send, judge_send


@dataclass(frozen=True)
class NoticeNearDeadlines:
    now: datetime
    lead_seconds: float
    limit: int = 100


async def notice_near_deadlines(command: NoticeNearDeadlines, uow: UnitOfWork) -> int:
    """One near-deadline notice per waiting stage entry; how many stages were noticed."""
    mails = NoticeMails(uow.session)
    due = await mails.near_deadline(command.now + timedelta(seconds=command.lead_seconds), command.limit)
    for stage in due:
        if stage.body and stage.deadline and stage.deadline > command.now:  # past it: the overdue notice says so
            members = await NoticePeople(uow.session).members([stage.body])
            await tell(uow, members, DEADLINE_NEAR, f"near:{stage.instance_id}:{stage.stage_entry}", stage.facts(),
                       command.now)
        await mails.mark_near_noticed(stage.instance_id, stage.stage_entry, command.now)
    return len(due)


@dataclass(frozen=True)
class ClaimMails:
    now: datetime
    lease_seconds: float
    limit: int
    window_seconds: float
    console_url: str
    public_api_url: str
    box: SecretBox


@dataclass(frozen=True)
class MailToSend:
    mail: ClaimedMail
    to_address: str
    language: str
    rendered: Rendered
    unsubscribe_url: str


def _link(console_url: str, kind: str, facts: dict) -> str:  # type: ignore[type-arg]
    base = console_url.rstrip("/")
    if kind in (DECISION_WAITING, DEADLINE_NEAR, STAGE_OVERDUE) and facts.get("instance_id"):
        return f"{base}/inbox/{facts['instance_id']}"  # the console's decision page of the instance
    return f"{base}/inbox"  # the signed-in person's own page (the console has none per request yet)


async def claim_mails(command: ClaimMails, uow: UnitOfWork) -> list[MailToSend]:
    mails = NoticeMails(uow.session)
    people = NoticePeople(uow.session)
    lease = command.now + timedelta(seconds=command.lease_seconds)
    out: list[MailToSend] = []
    for mail in await mails.claim(command.now, lease, command.limit):
        last = await mails.last_sent(mail.subject, mail.kind, mail.id)
        not_before = earliest_send(mail.created_at, last, timedelta(seconds=command.window_seconds))
        if not_before > command.now:
            # The person had a mail of this kind within the window: this one waits and keeps taking notices.
            await mails.postpone(mail.id, lease, not_before)
            continue
        contact = await people.contact(mail.subject)
        if contact is None:
            await mails.finish(mail.id, lease, DROPPED, mail.attempts, None, "the person has no contact address",
                               None, None)
            continue
        if mail.subject in await people.unsubscribed([mail.subject], mail.kind):
            await mails.finish(mail.id, lease, DROPPED, mail.attempts, None, "unsubscribed from this kind",
                               contact.email, None)
            continue
        out.append(_compose(command, mail, contact, [f for _, f in await mails.facts_of(mail.id)]))
    return out


def _compose(command: ClaimMails, mail: ClaimedMail, contact: Contact, facts: list[dict]) -> MailToSend:  # type: ignore[type-arg]
    token = make_token(command.box, mail.subject, mail.kind)
    unsubscribe = f"{command.public_api_url.rstrip('/')}/api/v1/notices/unsubscribe?token={token}"
    items = [(f, _link(command.console_url, mail.kind, f)) for f in facts]
    return MailToSend(mail, contact.email, contact.language, render(contact.language, mail.kind, items, unsubscribe),
                      unsubscribe)


@dataclass(frozen=True)
class RecordMail:
    mail_id: str
    lease_until: datetime
    attempts_before: int
    at: datetime
    ok: bool
    permanent: bool
    error: str | None
    to_address: str
    title: str
    retry_factor: float = 1.0


async def record_mail(command: RecordMail, uow: UnitOfWork) -> str:
    mails = NoticeMails(uow.session)
    made = command.attempts_before + 1
    verdict = judge_send(command.ok, command.permanent, made, command.retry_factor)
    if verdict.kind == "sent":
        await mails.finish(command.mail_id, command.lease_until, SENT, made, command.at, None, command.to_address,
                           command.title)
    elif verdict.kind == "retry":
        assert verdict.delay_seconds is not None
        await mails.retry_at(command.mail_id, command.lease_until, made,
                             command.at + timedelta(seconds=verdict.delay_seconds), command.error or "failed",
                             command.to_address, command.title)
    else:
        await mails.finish(command.mail_id, command.lease_until, FAILED, made, None, command.error,
                           command.to_address, command.title)
    return verdict.kind
