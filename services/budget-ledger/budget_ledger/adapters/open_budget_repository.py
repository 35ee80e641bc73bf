"""The SQL behind the open-budget package: a plan's rounds, its project appropriations in chosen
fiscal years, and each request's latest decision."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from budget_ledger.adapters.tables import appropriations, screening_requests, screening_rounds


class OpenBudgetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def rounds(self, plan_id: str) -> list[Any]:
        r = screening_rounds.c
        query = select(screening_rounds).where(r.plan_id == plan_id).order_by(r.fiscal_year, r.round_id)
        return list((await self.session.execute(query)).mappings().all())

    async def project_appropriations(self, plan_id: str, fiscal_years: Iterable[int] | None) -> list[Any]:
        """Project-level rows (framework rows name no project); every fiscal year when ``None``."""
        a = appropriations.c
        query = select(appropriations).where(a.plan_id == plan_id, a.project_id != "")
        if fiscal_years is not None:
            query = query.where(a.fiscal_year.in_(sorted(fiscal_years)))
        query = query.order_by(a.fiscal_year, a.strategy_id, a.project_id, a.expense_category)
        return list((await self.session.execute(query)).mappings().all())

    async def decisions(self, round_ids: Iterable[str]) -> dict[tuple[str, str], str | None]:
        """(round, project) → the request's latest decision (None while unscreened)."""
        q = screening_requests.c
        wanted = sorted(round_ids)
        if not wanted:
            return {}
        rows = await self.session.execute(select(q.round_id, q.project_id, q.decision).where(q.round_id.in_(wanted)))
        return {(row.round_id, row.project_id): row.decision for row in rows}
