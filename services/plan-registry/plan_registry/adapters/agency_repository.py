"""Agencies: code, Thai and English names, parent ministry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.db.types import utcnow
from dgplan_shared.text import search_key

from plan_registry.adapters.tables import agencies


def agency_dict(row: Any) -> dict[str, Any]:
    return {"code": row.code, "name": {"th": row.name_th, "en": row.name_en}, "parent_code": row.parent_code}


class AgencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, code: str) -> dict[str, Any] | None:
        row = (await self.session.execute(select(agencies).where(agencies.c.code == code))).first()
        return None if row is None else agency_dict(row)

    async def existing(self, codes: set[str]) -> set[str]:
        if not codes:
            return set()
        return set((await self.session.scalars(select(agencies.c.code).where(agencies.c.code.in_(codes)))).all())

    async def all(self) -> dict[str, dict[str, Any]]:
        rows = (await self.session.execute(select(agencies).order_by(agencies.c.code))).all()
        return {r.code: agency_dict(r) for r in rows}

    async def add(self, agency: dict[str, Any]) -> None:
        await self.session.execute(insert(agencies).values(
            code=agency["code"], name_th=agency["name"]["th"], name_en=agency["name"]["en"],
            parent_code=agency.get("parent_code"), created_at=utcnow(),
        ))

    async def update(self, agency: dict[str, Any]) -> None:
        await self.session.execute(update(agencies).where(agencies.c.code == agency["code"]).values(
            name_th=agency["name"]["th"], name_en=agency["name"]["en"], parent_code=agency.get("parent_code"),
        ))

    async def search(self, q: str | None, parent_code: str | None, after: str | None, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit + 1`` agencies by code, after the code ``after``."""
        query = select(agencies)
        if q:
            needle = search_key(q)
            query = query.where(or_(*(func.lower(c).contains(needle, autoescape=True)
                                      for c in (agencies.c.code, agencies.c.name_th, agencies.c.name_en))))
        if parent_code:
            query = query.where(agencies.c.parent_code == parent_code)
        if after is not None:
            query = query.where(agencies.c.code > after)
        rows = (await self.session.execute(query.order_by(agencies.c.code).limit(limit + 1))).all()
        return [agency_dict(r) for r in rows]
