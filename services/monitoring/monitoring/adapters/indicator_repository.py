"""Indicators, their targets per fiscal year and the actuals of plan-level indicators: all SQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring.adapters.tables import indicator_actuals, indicator_targets, indicators


class IndicatorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, indicator_id: str) -> dict[str, Any] | None:
        row = (await self.session.execute(
            select(indicators).where(indicators.c.indicator_id == indicator_id))).mappings().first()
        return dict(row) if row else None

    async def code_taken(self, code: str, other_than: str | None = None) -> bool:
        query = select(indicators.c.indicator_id).where(indicators.c.code == code)
        if other_than:
            query = query.where(indicators.c.indicator_id != other_than)
        return (await self.session.execute(query)).first() is not None

    async def add(self, row: dict[str, Any]) -> None:
        await self.session.execute(indicators.insert().values(**row))

    async def update_if_version(self, indicator_id: str, version: int, values: dict[str, Any]) -> bool:
        """Write ``values`` only if the row is still at ``version``; False if it changed meanwhile."""
        result = await self.session.execute(
            update(indicators)
            .where(indicators.c.indicator_id == indicator_id, indicators.c.version == version)
            .values(**values)
        )
        return result.rowcount == 1

    async def replace_targets(self, indicator_id: str, targets: list[tuple[int, str]]) -> None:
        await self.session.execute(delete(indicator_targets).where(indicator_targets.c.indicator_id == indicator_id))
        for fiscal_year, target in targets:
            await self.session.execute(indicator_targets.insert().values(
                indicator_id=indicator_id, fiscal_year=fiscal_year, target=target))

    async def targets_text(self, indicator_ids: list[str]) -> dict[str, list[tuple[int, str]]]:
        """indicator_id -> [(fiscal_year, target as stored)] for every id asked (empty when none)."""
        out: dict[str, list[tuple[int, str]]] = {i: [] for i in indicator_ids}
        if indicator_ids:
            for indicator_id, fiscal_year, target in (await self.session.execute(
                    select(indicator_targets).where(indicator_targets.c.indicator_id.in_(indicator_ids)))).all():
                out[indicator_id].append((fiscal_year, target))
        return out

    async def targets_by_indicator(self, indicator_ids: list[str]) -> dict[str, dict[int, Decimal]]:
        return {
            indicator_id: {fy: Decimal(value) for fy, value in targets}
            for indicator_id, targets in (await self.targets_text(indicator_ids)).items() if targets
        }

    async def page(
        self, *, link_type: str | None, link_id: str | None, measure_type: str | None, descending: bool,
        after_code: str | None, limit: int, visible_projects: frozenset[str] | None,
    ) -> list[dict[str, Any]]:
        """Up to ``limit`` rows by code; ``visible_projects`` (None: all) keeps project indicators of those."""
        c = indicators.c
        query = select(indicators)
        if link_type:
            query = query.where(c.link_type == link_type)
        if link_id:
            query = query.where(c.link_id == link_id)
        if measure_type:
            query = query.where(c.measure_type == measure_type)
        if visible_projects is not None:
            query = query.where(or_(c.link_type != "project", c.link_id.in_(sorted(visible_projects))))
        if after_code is not None:
            query = query.where(c.code < after_code if descending else c.code > after_code)
        query = query.order_by(c.code.desc() if descending else c.code).limit(limit)
        return [dict(r) for r in (await self.session.execute(query)).mappings()]

    async def of_projects(self, project_ids: list[str]) -> list[dict[str, Any]]:
        if not project_ids:
            return []
        return [dict(r) for r in (await self.session.execute(
            select(indicators).where(indicators.c.link_type == "project", indicators.c.link_id.in_(project_ids))
        )).mappings()]

    async def of_plan_level(self, strategy_ids: list[str], target_ids: list[str]) -> list[dict[str, Any]]:
        c = indicators.c
        return [dict(r) for r in (await self.session.execute(
            select(indicators).where(or_(
                (c.link_type == "strategy") & c.link_id.in_(strategy_ids or [""]),
                (c.link_type == "plan_target") & c.link_id.in_(target_ids or [""]),
            )).order_by(c.code))).mappings()]

    # -- actuals of plan-level indicators ---------------------------------------------------------

    async def current_actual(self, indicator_id: str, fiscal_year: int, quarter: int) -> tuple[str, int] | None:
        """(actual_id, revision) of the quarter's latest revision."""
        a = indicator_actuals.c
        row = (await self.session.execute(
            select(a.actual_id, a.revision)
            .where(a.indicator_id == indicator_id, a.fiscal_year == fiscal_year, a.quarter == quarter)
            .order_by(a.revision.desc()).limit(1))).first()
        return None if row is None else (row.actual_id, row.revision)

    async def add_actual(self, row: dict[str, Any]) -> None:
        await self.session.execute(indicator_actuals.insert().values(**row))

    async def actuals(self, indicator_id: str, fiscal_year: int | None) -> list[dict[str, Any]]:
        a = indicator_actuals.c
        query = select(indicator_actuals).where(a.indicator_id == indicator_id)
        if fiscal_year is not None:
            query = query.where(a.fiscal_year == fiscal_year)
        query = query.order_by(a.fiscal_year, a.quarter, a.revision)
        return [dict(r) for r in (await self.session.execute(query)).mappings()]

    async def latest_actuals(
        self, indicator_ids: list[str], fiscal_year: int, last_quarter: int
    ) -> dict[str, tuple[Decimal | None, int, dict[str, Any]]]:
        """indicator_id -> (value, quarter, row) of its latest actual in the year up to ``last_quarter``."""
        if not indicator_ids:
            return {}
        a = indicator_actuals.c
        rows = (await self.session.execute(
            select(indicator_actuals)
            .where(a.indicator_id.in_(indicator_ids), a.fiscal_year == fiscal_year, a.quarter <= last_quarter)
            .order_by(a.quarter, a.revision))).mappings().all()
        out: dict[str, tuple[Decimal | None, int, dict[str, Any]]] = {}
        for row in rows:  # ascending: the last one seen is the latest quarter's latest revision
            value = Decimal(row["value"]) if row["value"] is not None else None
            out[row["indicator_id"]] = (value, row["quarter"], dict(row))
        return out
