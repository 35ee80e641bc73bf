"""Reads of the read models (``rm_*``): plans, their structure, projects and budget postings."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_contracts.storage import Satang
from monitoring.adapters.tables import (
    rm_alignments,
    rm_approved_projects,
    rm_budget_entries,
    rm_plan_targets,
    rm_plans,
    rm_project_versions,
    rm_projects,
    rm_strategies,
)

_LINKED = {
    "project": rm_projects.c.project_id,
    "strategy": rm_strategies.c.strategy_id,
    "plan_target": rm_plan_targets.c.target_id,
}

_GROUP_COLUMNS = {
    "strategy": rm_budget_entries.c.strategy_id,
    "agency": rm_budget_entries.c.agency,
    "fiscal_year": rm_budget_entries.c.fiscal_year,
}


class ReadModelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def plan(self, plan_id: str) -> dict[str, Any] | None:
        row = (await self.session.execute(select(rm_plans).where(rm_plans.c.plan_id == plan_id))).mappings().first()
        return dict(row) if row else None

    async def plans_covering(self, fiscal_year: int) -> list[dict[str, Any]]:
        return [dict(r) for r in (await self.session.execute(
            select(rm_plans).where(rm_plans.c.start_fy <= fiscal_year, rm_plans.c.end_fy >= fiscal_year))).mappings()]

    async def strategies(self, plan_id: str | None) -> list[dict[str, Any]]:
        query = select(rm_strategies).order_by(rm_strategies.c.number, rm_strategies.c.code)
        if plan_id is not None:
            query = query.where(rm_strategies.c.plan_id == plan_id)
        return [dict(r) for r in (await self.session.execute(query)).mappings()]

    async def plan_targets(self, plan_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in (await self.session.execute(
            select(rm_plan_targets).where(rm_plan_targets.c.plan_id == plan_id)
            .order_by(rm_plan_targets.c.position))).mappings()]

    async def knows(self, link_type: str, link_id: str) -> bool:
        key = _LINKED[link_type]
        return (await self.session.execute(select(key).where(key == link_id))).first() is not None

    # -- projects ---------------------------------------------------------------------------------

    async def project(self, project_id: str) -> dict[str, Any] | None:
        """The latest snapshot of a project (usually a draft's)."""
        row = (await self.session.execute(
            select(rm_projects).where(rm_projects.c.project_id == project_id))).mappings().first()
        return dict(row) if row else None

    async def projects_of_plan(self, plan_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in (await self.session.execute(
            select(rm_projects).where(rm_projects.c.plan_id == plan_id).order_by(rm_projects.c.code))).mappings()]

    async def approved_projects_of_plan(self, plan_id: str) -> list[dict[str, Any]]:
        """The projects of the plan's approved version as that version has them (not as a later
        draft changed them); the latest snapshot only where no version was ever named."""
        return await self._approved_snapshots(rm_approved_projects.c.plan_id == plan_id)

    async def approved_snapshots(self, project_ids: list[str]) -> dict[str, dict[str, Any]]:
        """project_id -> the snapshot its plan's approved version shows (only approved projects)."""
        if not project_ids:
            return {}
        rows = await self._approved_snapshots(rm_approved_projects.c.project_id.in_(project_ids))
        return {r["project_id"]: r for r in rows}

    async def _approved_snapshots(self, where: Any) -> list[dict[str, Any]]:
        a, v, p = rm_approved_projects.c, rm_project_versions.c, rm_projects.c
        columns = [
            case((v.project_id.is_not(None), v[name]), else_=p[name]).label(name)
            for name in rm_projects.c.keys() if name not in ("project_id", "version_id")
        ]
        code = columns[[c.name for c in columns].index("code")]
        query = (
            select(a.project_id, *columns)
            .select_from(rm_approved_projects)
            .outerjoin(rm_project_versions, and_(v.project_id == a.project_id, v.version_id == a.snapshot_version_id))
            .outerjoin(rm_projects, p.project_id == a.project_id)
            .where(where, or_(v.project_id.is_not(None), p.project_id.is_not(None)))
            .order_by(code)
        )
        return [dict(r) for r in (await self.session.execute(query)).mappings()]

    async def projects(self, project_ids: list[str]) -> dict[str, dict[str, Any]]:
        """project_id -> latest snapshot, for the ids monitoring knows."""
        if not project_ids:
            return {}
        rows = (await self.session.execute(
            select(rm_projects).where(rm_projects.c.project_id.in_(project_ids)))).mappings()
        return {r["project_id"]: dict(r) for r in rows}

    async def continuing(self, project_id: str) -> list[str]:
        """Projects whose latest or any version's snapshot says it continues ``project_id``."""
        p, v = rm_projects.c, rm_project_versions.c
        ids = set((await self.session.scalars(select(p.project_id).where(p.continues_project_id == project_id))).all())
        ids |= set((await self.session.scalars(select(v.project_id).where(v.continues_project_id == project_id))).all())
        return sorted(ids)

    async def alignments(self, plan_id: str, framework: str) -> list[dict[str, Any]]:
        a = rm_alignments.c
        return [dict(r) for r in (await self.session.execute(
            select(rm_alignments).where(a.plan_id == plan_id, a.framework == framework)
            .order_by(a.goal, a.node_type, a.node_id))).mappings()]

    async def project_ids(self) -> list[str]:
        return list((await self.session.execute(select(rm_projects.c.project_id))).scalars())

    async def project_participants(self) -> list[dict[str, Any]]:
        """project_id, lead_agency and agencies of every project (a plan has tens: filtered by the caller)."""
        return [dict(r) for r in (await self.session.execute(
            select(rm_projects.c.project_id, rm_projects.c.lead_agency, rm_projects.c.agencies))).mappings()]

    async def approved_project_ids(self, plan_id: str | None = None) -> frozenset[str]:
        query = select(rm_approved_projects.c.project_id)
        if plan_id is not None:
            query = query.where(rm_approved_projects.c.plan_id == plan_id)
        return frozenset((await self.session.scalars(query)).all())

    # -- money ------------------------------------------------------------------------------------

    async def budget_totals(
        self, fiscal_year: int, project_ids: list[str] | None = None
    ) -> dict[str, dict[str, Decimal]]:
        """project_id -> {kind: total} in one fiscal year."""
        e = rm_budget_entries.c
        query = (select(e.project_id, e.kind, func.sum(e.amount, type_=Satang()))
                 .where(e.fiscal_year == fiscal_year).group_by(e.project_id, e.kind))
        if project_ids is not None:
            query = query.where(e.project_id.in_(project_ids))
        out: dict[str, dict[str, Decimal]] = defaultdict(dict)
        for project_id, kind, total in (await self.session.execute(query)).all():
            out[project_id][kind] = total  # Satang turns the summed satang back into baht
        return dict(out)

    async def budget_by(
        self, group_by: str, plan_id: str | None, fiscal_year: int | None
    ) -> dict[Any, dict[str, Decimal]]:
        """group key -> {kind: total}, grouped by strategy, agency or fiscal year."""
        e = rm_budget_entries.c
        column = _GROUP_COLUMNS[group_by]
        query = select(column, e.kind, func.sum(e.amount, type_=Satang())).group_by(column, e.kind)
        if plan_id is not None:
            query = query.where(e.plan_id == plan_id)
        if fiscal_year is not None:
            query = query.where(e.fiscal_year == fiscal_year)
        groups: dict[Any, dict[str, Decimal]] = {}
        for key, kind, total in (await self.session.execute(query)).all():
            groups.setdefault(key, {})[kind] = total
        return groups

    async def budget_by_project(
        self, plan_id: str, fiscal_year: int | None
    ) -> list[tuple[str | None, str | None, str, Decimal]]:
        """(project_id, strategy_id, kind, total) of a plan's postings, one fiscal year or all."""
        e = rm_budget_entries.c
        query = (select(e.project_id, e.strategy_id, e.kind, func.sum(e.amount, type_=Satang()))
                 .where(e.plan_id == plan_id).group_by(e.project_id, e.strategy_id, e.kind))
        if fiscal_year is not None:
            query = query.where(e.fiscal_year == fiscal_year)
        return [tuple(r) for r in (await self.session.execute(query)).all()]  # type: ignore[misc]

    async def budget_by_year(self, project_ids: list[str]) -> dict[str, dict[int | None, dict[str, Decimal]]]:
        """project_id -> fiscal year -> {kind: total}, over the projects' whole lives."""
        if not project_ids:
            return {}
        e = rm_budget_entries.c
        query = (select(e.project_id, e.fiscal_year, e.kind, func.sum(e.amount, type_=Satang()))
                 .where(e.project_id.in_(project_ids)).group_by(e.project_id, e.fiscal_year, e.kind))
        out: dict[str, dict[int | None, dict[str, Decimal]]] = defaultdict(dict)
        for project_id, fiscal_year, kind, total in (await self.session.execute(query)).all():
            out[project_id].setdefault(fiscal_year, {})[kind] = total
        return dict(out)
