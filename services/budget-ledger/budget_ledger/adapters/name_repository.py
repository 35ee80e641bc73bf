"""Names of strategies and projects by id, for the spreadsheet downloads (labels, not codes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.adapters.tables import projects, strategies

_CHUNK = 500  # ids per IN (...) list: well inside every database's parameter limit


class NameRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def strategies(self, ids: set[str]) -> dict[str, Any]:
        return await self._by_id(strategies, strategies.c.strategy_id, ids)

    async def projects(self, ids: set[str]) -> dict[str, Any]:
        return await self._by_id(projects, projects.c.project_id, ids)

    async def _by_id(self, table: Any, key: Any, ids: set[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        wanted = sorted(i for i in ids if i)
        for start in range(0, len(wanted), _CHUNK):
            rows = await self.session.execute(select(table).where(key.in_(wanted[start : start + _CHUNK])))
            found.update({row[key.name]: row for row in rows.mappings()})
        return found
