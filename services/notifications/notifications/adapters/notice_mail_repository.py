"""SQL for the stages notices are about, the notices themselves and the mails (digests) that
carry them: the durable send schedule the daemon works, leased like webhook deliveries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.adapters.tables import mails, notice_stages, notices

PENDING, SENT, FAILED, DROPPED = "pending", "sent", "failed", "dropped"


@dataclass(frozen=True)
class WaitingStage:
    instance_id: str
    stage_entry: int
    workflow: str
    stage: str
    body: str | None
    deadline: datetime | None
    context: dict[str, Any]

    def facts(self) -> dict[str, Any]:
        """What a notice about this stage says (one shape whether the stage, a late membership or
        the near-deadline sweep sends it)."""
        return {"instance_id": self.instance_id, "workflow": self.workflow, "stage": self.stage, "body": self.body,
                "deadline": self.deadline.isoformat() if self.deadline else None, **self.context}


@dataclass(frozen=True)
class ClaimedMail:
    id: str
    subject: str
    kind: str
    attempts: int
    created_at: datetime
    lease_until: datetime


@dataclass(frozen=True)
class MailRow:
    id: str
    kind: str
    status: str
    attempts: int
    to_address: str | None
    title: str | None
    last_error: str | None
    notices: int
    created_at: datetime
    not_before: datetime
    sent_at: datetime | None


class NoticeMails:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._postgres = session.bind.dialect.name == "postgresql"
        self._insert = pg_insert if self._postgres else sqlite_insert

    # stages --------------------------------------------------------------------------------
    async def keep_stage(self, stage: WaitingStage, waiting: bool) -> bool:
        """Remember the instance's newest stage entry; False for an older entry redelivered late."""
        s = notice_stages.c
        values = dict(stage_entry=stage.stage_entry, workflow=stage.workflow, stage=stage.stage, body=stage.body,
                      waiting=waiting, deadline=stage.deadline, context=orjson.dumps(stage.context).decode(),
                      near_noticed_at=None)
        result = await self.session.execute(
            self._insert(notice_stages).values(instance_id=stage.instance_id, **values).on_conflict_do_update(
                index_elements=["instance_id"], set_=values, where=s.stage_entry < stage.stage_entry))
        return result.rowcount == 1

    async def stage(self, instance_id: str) -> WaitingStage | None:
        row = (await self.session.execute(
            select(notice_stages).where(notice_stages.c.instance_id == instance_id))).first()
        return _stage(row) if row else None

    async def waiting_for(self, body: str) -> list[WaitingStage]:
        """The stages waiting now for ``body``'s decision, oldest deadline first."""
        s = notice_stages.c
        rows = await self.session.execute(
            select(notice_stages).where(s.waiting.is_(True), s.body == body).order_by(s.deadline, s.instance_id))
        return [_stage(r) for r in rows.all()]

    async def near_deadline(self, until: datetime, limit: int) -> list[WaitingStage]:
        """Waiting stages whose deadline falls before ``until`` and that were not yet told near."""
        s = notice_stages.c
        stmt = (select(notice_stages)
                .where(s.waiting.is_(True), s.near_noticed_at.is_(None), s.deadline.is_not(None), s.deadline <= until)
                .order_by(s.deadline).limit(limit))
        if self._postgres:
            stmt = stmt.with_for_update(skip_locked=True)
        return [_stage(r) for r in (await self.session.execute(stmt)).all()]

    async def mark_near_noticed(self, instance_id: str, stage_entry: int, at: datetime) -> None:
        s = notice_stages.c
        await self.session.execute(update(notice_stages).where(
            s.instance_id == instance_id, s.stage_entry == stage_entry).values(near_noticed_at=at))

    # notices and mails ----------------------------------------------------------------------
    async def add_notice(self, notice_id: str, subject: str, kind: str, dedupe_key: str, facts: dict[str, Any],
                         mail_id: str, at: datetime) -> bool:
        """Attach the notice to the person's open mail of this kind, or to a new one (``mail_id``);
        False (and nothing written) when this fact was already told to this person."""
        inserted = await self.session.execute(
            self._insert(notices).values(id=notice_id, subject=subject, kind=kind, dedupe_key=dedupe_key,
                                         facts=orjson.dumps(facts).decode(), mail_id=None, created_at=at)
            .on_conflict_do_nothing(index_elements=["subject", "kind", "dedupe_key"]))
        if inserted.rowcount != 1:
            return False
        m = mails.c
        open_mail = select(m.id).where(m.subject == subject, m.kind == kind, m.status == PENDING,
                                       m.sealed.is_(False)).limit(1)
        if self._postgres:
            open_mail = open_mail.with_for_update()
        found = (await self.session.execute(open_mail)).scalar_one_or_none()
        if found is None:
            await self.session.execute(insert(mails).values(
                id=mail_id, subject=subject, kind=kind, status=PENDING, not_before=at, attempts=0, lease_until=None,
                sealed=False, last_error=None, to_address=None, title=None, created_at=at, sent_at=None))
            found = mail_id
        await self.session.execute(update(notices).where(notices.c.id == notice_id).values(mail_id=found))
        return True

    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[ClaimedMail]:
        m = mails.c
        stmt = (select(m.id, m.subject, m.kind, m.attempts, m.created_at)
                .where(m.status == PENDING, m.not_before <= now, or_(m.lease_until.is_(None), m.lease_until <= now))
                .order_by(m.not_before, m.id).limit(limit))
        if self._postgres:
            stmt = stmt.with_for_update(skip_locked=True)
        rows = (await self.session.execute(stmt)).all()
        if rows:
            # Sealed from the first claim on: what this mail says is fixed, later notices wait for the next.
            await self.session.execute(update(mails).where(m.id.in_([r.id for r in rows]))
                                       .values(lease_until=lease_until, sealed=True))
        return [ClaimedMail(r.id, r.subject, r.kind, r.attempts, r.created_at, lease_until) for r in rows]

    async def facts_of(self, mail_id: str) -> list[tuple[str, dict[str, Any]]]:
        n = notices.c
        rows = await self.session.execute(select(n.id, n.facts).where(n.mail_id == mail_id).order_by(n.created_at, n.id))
        return [(r.id, orjson.loads(r.facts)) for r in rows]

    async def last_sent(self, subject: str, kind: str, other_than: str) -> datetime | None:
        m = mails.c
        return (await self.session.execute(select(func.max(m.sent_at)).where(
            m.subject == subject, m.kind == kind, m.status == SENT, m.id != other_than))).scalar_one_or_none()

    def _held(self, mail_id: str, lease: datetime):  # type: ignore[no-untyped-def]
        # Only the claim that holds the lease settles the mail (a takeover after it ran out re-sends).
        return update(mails).where(mails.c.id == mail_id, mails.c.lease_until == lease)

    async def postpone(self, mail_id: str, lease: datetime, not_before: datetime) -> None:
        await self.session.execute(self._held(mail_id, lease).values(lease_until=None, not_before=not_before,
                                                                     sealed=False))

    async def finish(self, mail_id: str, lease: datetime, status: str, attempts: int, at: datetime | None,
                     error: str | None, to_address: str | None, title: str | None) -> bool:
        result = await self.session.execute(self._held(mail_id, lease).values(
            status=status, attempts=attempts, lease_until=None, sent_at=at if status == SENT else None,
            last_error=error, to_address=to_address, title=title))
        return result.rowcount == 1

    async def retry_at(self, mail_id: str, lease: datetime, attempts: int, when: datetime, error: str,
                       to_address: str | None, title: str | None) -> None:
        await self.session.execute(self._held(mail_id, lease).values(
            attempts=attempts, lease_until=None, not_before=when, last_error=error[:500], to_address=to_address,
            title=title))

    async def of_person(self, subject: str, limit: int) -> list[MailRow]:
        m, n = mails.c, notices.c
        counted = (select(n.mail_id, func.count().label("notices")).group_by(n.mail_id)).subquery()
        rows = await self.session.execute(
            select(mails, counted.c.notices).outerjoin(counted, counted.c.mail_id == m.id)
            .where(m.subject == subject).order_by(m.created_at.desc(), m.id.desc()).limit(limit))
        return [MailRow(r.id, r.kind, r.status, r.attempts, r.to_address, r.title, r.last_error, r.notices or 0,
                        r.created_at, r.not_before, r.sent_at) for r in rows]


def _stage(row: Any) -> WaitingStage:
    return WaitingStage(row.instance_id, row.stage_entry, row.workflow, row.stage, row.body, row.deadline,
                        orjson.loads(row.context))
