"""Reading and writing person accounts, clients' redirect URIs and authorization codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.db.types import utcnow
from gateway.edge.adapters.people_tables import authorization_codes, client_redirect_uris, people
from gateway.edge.domain.client_rules import plausible_client_id


@dataclass(frozen=True)
class Person:
    username: str
    subject: str
    name: str
    password_hash: str
    roles: tuple[str, ...]
    agency: str | None
    active: bool
    version: int


@dataclass(frozen=True)
class IssuedCode:
    client_id: str
    username: str
    redirect_uri: str
    code_challenge: str
    scope: str
    nonce: str | None
    expires_at: datetime


def _person(row: Any) -> Person:
    return Person(
        username=row.username,
        subject=row.subject,
        name=row.name,
        password_hash=row.password_hash,
        roles=tuple(row.roles.split()),
        agency=row.agency,
        active=row.active,
        version=row.version,
    )


async def get_person(session: AsyncSession, username: str) -> Person | None:
    if not plausible_client_id(username):
        return None  # never reaches the database (a NUL byte would make PostgreSQL fail)
    row = (await session.execute(select(people).where(people.c.username == username))).first()
    return _person(row) if row else None


async def insert_person(
    session: AsyncSession,
    *,
    username: str,
    subject: str,
    name: str,
    password_hash: str,
    roles: tuple[str, ...],
    agency: str | None,
) -> None:
    now = utcnow()
    await session.execute(
        insert(people).values(
            username=username, subject=subject, name=name, password_hash=password_hash, roles=" ".join(roles),
            agency=agency, active=True, version=1, created_at=now, updated_at=now,
        )
    )


async def set_password_hash(session: AsyncSession, person: Person, password_hash: str) -> bool:
    result = await session.execute(
        update(people)
        .where(people.c.username == person.username, people.c.version == person.version)
        .values(password_hash=password_hash, version=person.version + 1, updated_at=utcnow())
    )
    return result.rowcount == 1


async def redirect_uris(session: AsyncSession, client_id: str) -> frozenset[str]:
    rows = await session.execute(
        select(client_redirect_uris.c.redirect_uri).where(client_redirect_uris.c.client_id == client_id)
    )
    return frozenset(rows.scalars())


async def set_redirect_uris(session: AsyncSession, client_id: str, uris: frozenset[str]) -> None:
    await session.execute(delete(client_redirect_uris).where(client_redirect_uris.c.client_id == client_id))
    for uri in sorted(uris):
        await session.execute(insert(client_redirect_uris).values(client_id=client_id, redirect_uri=uri))


async def insert_code(session: AsyncSession, code_hash: str, code: IssuedCode) -> None:
    await session.execute(
        insert(authorization_codes).values(
            code_hash=code_hash, client_id=code.client_id, username=code.username, redirect_uri=code.redirect_uri,
            code_challenge=code.code_challenge, scope=code.scope, nonce=code.nonce, expires_at=code.expires_at,
            used_at=None,
        )
    )


async def consume_code(session: AsyncSession, code_hash: str) -> IssuedCode | None:
    """Mark the code used and return it, or None when unknown or already used: the conditional
    UPDATE makes two concurrent redemptions of one code succeed at most once."""
    result = await session.execute(
        update(authorization_codes)
        .where(authorization_codes.c.code_hash == code_hash, authorization_codes.c.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if result.rowcount != 1:
        return None
    row = (
        await session.execute(select(authorization_codes).where(authorization_codes.c.code_hash == code_hash))
    ).first()
    return IssuedCode(
        client_id=row.client_id, username=row.username, redirect_uri=row.redirect_uri,
        code_challenge=row.code_challenge, scope=row.scope, nonce=row.nonce, expires_at=row.expires_at,
    )


async def purge_expired_codes(session: AsyncSession, now: datetime) -> None:
    await session.execute(delete(authorization_codes).where(authorization_codes.c.expires_at < now))
