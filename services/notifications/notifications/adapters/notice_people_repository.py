"""SQL for whom notices go to: body memberships (a copy of the engine's), people's contacts and
their per-kind preferences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.adapters.tables import notice_contacts, notice_members, notice_preferences


@dataclass(frozen=True)
class Contact:
    subject: str
    email: str
    language: str
    agency: str | None
    version: int
    updated_at: datetime


class NoticePeople:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert

    async def keep_membership(self, body: str, subject: str, role: str, active: bool, revision: int) -> bool:
        """The newest revision wins: an older one redelivered later changes nothing (False)."""
        m = notice_members.c
        stmt = self._insert(notice_members).values(body=body, subject=subject, role=role, active=active,
                                                   revision=revision)
        result = await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["body", "subject"], set_={"role": role, "active": active, "revision": revision},
            where=m.revision < revision))
        return result.rowcount == 1

    async def members(self, bodies: list[str]) -> list[str]:
        """Active members of any of ``bodies``, each once."""
        m = notice_members.c
        rows = await self.session.execute(
            select(m.subject).where(m.body.in_(bodies), m.active.is_(True)).distinct().order_by(m.subject))
        return list(rows.scalars())

    async def contact(self, subject: str) -> Contact | None:
        row = (await self.session.execute(
            select(notice_contacts).where(notice_contacts.c.subject == subject))).first()
        return Contact(row.subject, row.email, row.language, row.agency, row.version, row.updated_at) if row else None

    async def contacts(self, subjects: list[str]) -> dict[str, Contact]:
        if not subjects:
            return {}
        rows = await self.session.execute(select(notice_contacts).where(notice_contacts.c.subject.in_(subjects)))
        return {r.subject: Contact(r.subject, r.email, r.language, r.agency, r.version, r.updated_at) for r in rows}

    async def save_contact(self, contact: Contact, expected_version: int | None) -> bool:
        """Insert (``expected_version`` None) or update if unchanged since ``expected_version``."""
        values = dict(email=contact.email, language=contact.language, agency=contact.agency,
                      version=contact.version, updated_at=contact.updated_at)
        if expected_version is None:
            result = await self.session.execute(self._insert(notice_contacts).values(
                subject=contact.subject, **values).on_conflict_do_nothing(index_elements=["subject"]))
        else:
            c = notice_contacts.c
            result = await self.session.execute(update(notice_contacts).where(
                c.subject == contact.subject, c.version == expected_version).values(**values))
        return result.rowcount == 1

    async def agency_people(self, agency: str) -> list[str]:
        c = notice_contacts.c
        return list((await self.session.execute(
            select(c.subject).where(c.agency == agency).order_by(c.subject))).scalars())

    async def preferences(self, subject: str) -> dict[str, bool]:
        p = notice_preferences.c
        rows = await self.session.execute(select(p.kind, p.subscribed).where(p.subject == subject))
        return {r.kind: r.subscribed for r in rows}

    async def unsubscribed(self, subjects: list[str], kind: str) -> set[str]:
        if not subjects:
            return set()
        p = notice_preferences.c
        rows = await self.session.execute(select(p.subject).where(
            p.subject.in_(subjects), p.kind == kind, p.subscribed.is_(False)))
        return set(rows.scalars())

    async def set_preference(self, subject: str, kind: str, subscribed: bool, at: datetime) -> None:
        stmt = self._insert(notice_preferences).values(subject=subject, kind=kind, subscribed=subscribed,
                                                       updated_at=at)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["subject", "kind"], set_={"subscribed": subscribed, "updated_at": at}))
