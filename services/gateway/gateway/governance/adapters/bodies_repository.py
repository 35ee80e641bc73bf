"""Bodies and their memberships."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.errors import conflict, not_found
from gateway.governance.adapters.tables import gov_bodies as b
from gateway.governance.adapters.tables import gov_members as m


class BodiesRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, code: str) -> dict[str, Any]:
        row = (await self.session.execute(select(b).where(b.c.code == code))).mappings().first()
        if row is None:
            raise not_found("body", code)
        return dict(row)

    async def exists(self, code: str) -> bool:
        return (await self.session.execute(select(b.c.code).where(b.c.code == code))).first() is not None

    async def codes(self) -> set[str]:
        return set((await self.session.execute(select(b.c.code))).scalars())

    async def add(self, row: dict[str, Any]) -> None:
        try:
            async with self.session.begin_nested():
                await self.session.execute(insert(b).values(**row))
        except IntegrityError as exc:  # created concurrently since the caller looked
            raise conflict("body-exists", f"a body {row['code']} exists already") from exc

    async def update(self, code: str, expected_version: int, values: dict[str, Any]) -> bool:
        """False when the body changed since ``expected_version`` was read."""
        result = await self.session.execute(
            update(b).where(b.c.code == code, b.c.version == expected_version).values(**values)
        )
        return result.rowcount == 1

    async def page(self, limit: int, after: str | None) -> list[dict[str, Any]]:
        """``limit + 1`` bodies in code order after ``after`` (the extra one says a next page exists)."""
        query = select(b).order_by(b.c.code).limit(limit + 1)
        if after is not None:
            query = query.where(b.c.code > after)
        return [dict(r) for r in (await self.session.execute(query)).mappings()]

    async def members_of(self, codes: list[str]) -> dict[str, list[dict[str, Any]]]:
        rows = await self.session.execute(
            select(m).where(m.c.body_code.in_(codes)).order_by(m.c.body_code, m.c.subject)
        )
        grouped: dict[str, list[dict[str, Any]]] = {}
        for row in rows.mappings():
            grouped.setdefault(row["body_code"], []).append(dict(row))
        return grouped

    async def members(self, code: str) -> list[dict[str, Any]]:
        return (await self.members_of([code])).get(code, [])

    async def member(self, code: str, subject: str) -> dict[str, Any] | None:
        row = (
            await self.session.execute(select(m).where(m.c.body_code == code, m.c.subject == subject))
        ).mappings().first()
        return dict(row) if row is not None else None

    async def active_members(self, code: str) -> dict[str, str]:
        """subject -> role of the body's active members."""
        rows = await self.session.execute(
            select(m.c.subject, m.c.role).where(m.c.body_code == code, m.c.active.is_(True))
        )
        return {r.subject: r.role for r in rows}

    async def roles_of(self, subject: str) -> dict[str, str]:
        """body -> role of ``subject``'s active memberships."""
        rows = await self.session.execute(
            select(m.c.body_code, m.c.role).where(m.c.subject == subject, m.c.active.is_(True))
        )
        return {r.body_code: r.role for r in rows}

    async def memberships(self) -> set[tuple[str, str]]:
        return {tuple(r) for r in await self.session.execute(select(m.c.body_code, m.c.subject))}

    async def add_member(self, row: dict[str, Any]) -> None:
        await self.session.execute(insert(m).values(**row))

    async def update_member(self, code: str, subject: str, values: dict[str, Any]) -> None:
        await self.session.execute(update(m).where(m.c.body_code == code, m.c.subject == subject).values(**values))
