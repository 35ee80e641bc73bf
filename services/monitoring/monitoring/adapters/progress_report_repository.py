"""Quarterly progress reports and their revisions: all SQL."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring.adapters.tables import progress_reports


class ProgressReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current(self, project_id: str, fiscal_year: int, quarter: int) -> tuple[str, int] | None:
        """(report_id, revision) of the quarter's latest revision."""
        r = progress_reports.c
        row = (await self.session.execute(
            select(r.report_id, r.revision)
            .where(r.project_id == project_id, r.fiscal_year == fiscal_year, r.quarter == quarter)
            .order_by(r.revision.desc()).limit(1))).first()
        return None if row is None else (row.report_id, row.revision)

    async def add(self, row: dict[str, Any]) -> None:
        await self.session.execute(progress_reports.insert().values(**row))

    async def get(self, report_id: str) -> dict[str, Any] | None:
        row = (await self.session.execute(
            select(progress_reports).where(progress_reports.c.report_id == report_id))).mappings().first()
        return dict(row) if row else None

    async def latest_revisions(self, project_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """The latest revision of every quarter's report, per project."""
        if not project_ids:
            return {}
        r = progress_reports.c
        rows = (await self.session.execute(
            select(progress_reports).where(r.project_id.in_(project_ids))
            .order_by(r.project_id, r.fiscal_year, r.quarter, r.revision))).mappings().all()
        latest: dict[tuple[str, int, int], dict[str, Any]] = {}
        for row in rows:
            latest[(row["project_id"], row["fiscal_year"], row["quarter"])] = dict(row)
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for (project_id, _, _), row in latest.items():
            out[project_id].append(row)
        return dict(out)

    async def listing(
        self, *, project_id: str | None, fiscal_year: int | None, quarter: int | None, agency: str | None,
        project_ids: list[str] | None, after: list[Any] | None, descending: bool, limit: int | None,
    ) -> list[dict[str, Any]]:
        """Reports in period order (keyset after ``after``); ``project_ids`` (None: all) narrows them."""
        r = progress_reports.c
        query = select(progress_reports)
        if project_id:
            query = query.where(r.project_id == project_id)
        if fiscal_year:
            query = query.where(r.fiscal_year == fiscal_year)
        if quarter:
            query = query.where(r.quarter == quarter)
        if agency:
            query = query.where(r.agency == agency)
        if project_ids is not None:
            query = query.where(r.project_id.in_(project_ids or [""]))
        key_cols = (r.fiscal_year, r.quarter, r.project_id, r.revision, r.report_id)
        if after is not None:
            comparisons = []
            for i, column in enumerate(key_cols):
                prefix = [key_cols[j] == after[j] for j in range(i)]
                comparisons.append(and_(*prefix, column < after[i] if descending else column > after[i]))
            query = query.where(or_(*comparisons))
        query = query.order_by(*[c.desc() if descending else c for c in key_cols])
        if limit is not None:
            query = query.limit(limit)
        return [dict(x) for x in (await self.session.execute(query)).mappings()]
