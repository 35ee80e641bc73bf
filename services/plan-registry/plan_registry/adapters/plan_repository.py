"""Plans and their versions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.errors import not_found
from dgplan_shared.text import search_key

from plan_registry.adapters.tables import plan_versions, plans

PLAN_SORTS = {"code": plans.c.code, "start_fy": plans.c.start_fy}


def plan_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "code": row.code,
        "title": {"th": row.title_th, "en": row.title_en},
        "start_fy": row.start_fy,
        "end_fy": row.end_fy,
        "predecessor_plan_id": row.predecessor_plan_id,
        "successor_plan_id": row.successor_plan_id,
        "latest_version_id": row.latest_version_id,
        "approved_version_id": row.approved_version_id,
    }


def version_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "plan_id": row.plan_id,
        "number": row.number,
        "status": row.status,
        "based_on_version_id": row.based_on_version_id,
        "submitted_by": row.submitted_by,
        "submitted_at": row.submitted_at.isoformat() if row.submitted_at else None,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
        "decided_by_body": row.decided_by_body,
        "frozen": row.status != "draft",
    }


def plan_values(plan: dict[str, Any]) -> dict[str, Any]:
    """Column values of a plan given in API shape."""
    return {
        "code": plan["code"], "title_th": plan["title"]["th"], "title_en": plan["title"]["en"],
        "start_fy": plan["start_fy"], "end_fy": plan["end_fy"], "predecessor_plan_id": plan.get("predecessor_plan_id"),
        "successor_plan_id": plan.get("successor_plan_id"),
    }


class PlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, plan_id: str) -> Any:
        row = (await self.session.execute(select(plans).where(plans.c.id == plan_id))).first()
        if row is None:
            raise not_found("plan", plan_id)
        return row

    async def get_for_update(self, plan_id: str) -> Any:
        """Serialize writers of one plan (PostgreSQL row lock; SQLite locks the whole file anyway)."""
        row = (await self.session.execute(select(plans).where(plans.c.id == plan_id).with_for_update())).first()
        if row is None:
            raise not_found("plan", plan_id)
        return row

    async def exists(self, plan_id: str) -> bool:
        return (await self.session.execute(select(plans.c.id).where(plans.c.id == plan_id))).first() is not None

    async def id_by_code(self, code: str) -> str | None:
        return await self.session.scalar(select(plans.c.id).where(plans.c.code == code))

    async def predecessor_of(self, plan_id: str) -> str | None:
        return await self.session.scalar(select(plans.c.predecessor_plan_id).where(plans.c.id == plan_id))

    async def add(self, values: dict[str, Any]) -> None:
        await self.session.execute(insert(plans).values(**values))

    async def update(self, plan_id: str, **values: Any) -> None:
        await self.session.execute(update(plans).where(plans.c.id == plan_id).values(**values))

    async def current_version_ids(self, which: str) -> list[str]:
        """Every plan's 'latest' or 'approved' version id."""
        column = plans.c.latest_version_id if which == "latest" else plans.c.approved_version_id
        return [v for v in (await self.session.scalars(select(column))).all() if v]

    async def search(
        self, *, only_approved: bool, fiscal_year: int | None, status: str | None, q: str | None,
        sort_key: str, descending: bool, limit: int, after: tuple[Any, str] | None,
    ) -> list[dict[str, Any]]:
        """Up to ``limit + 1`` plans (with their latest version's status) in order; ``after`` is (sort key, code)."""
        latest = plan_versions.alias("latest")
        query = select(plans, latest.c.status.label("latest_status")).join(latest, latest.c.id == plans.c.latest_version_id)
        if only_approved:
            query = query.where(plans.c.approved_version_id.is_not(None))
        if fiscal_year is not None:
            query = query.where(plans.c.start_fy <= fiscal_year, plans.c.end_fy >= fiscal_year)
        if status:
            query = query.where(latest.c.status == status)
        if q:
            needle = search_key(q)
            query = query.where(or_(*(func.lower(c).contains(needle, autoescape=True)
                                      for c in (plans.c.code, plans.c.title_th, plans.c.title_en))))
        key = PLAN_SORTS[sort_key]
        if after is not None:
            value, code = after
            beyond = key < value if descending else key > value
            query = query.where(or_(beyond, and_(key == value, plans.c.code > code)))
        ordering = (key.desc() if descending else key.asc(), plans.c.code)
        rows = (await self.session.execute(query.order_by(*ordering).limit(limit + 1))).all()
        return [{**plan_dict(r), "latest_version_status": r.latest_status} for r in rows]

    # Versions belong to their plan: one repository for the aggregate.

    async def get_version(self, plan_id: str, version_id: str) -> Any:
        row = (await self.session.execute(
            select(plan_versions).where(plan_versions.c.id == version_id, plan_versions.c.plan_id == plan_id)
        )).first()
        if row is None:
            raise not_found("plan version", version_id)
        return row

    async def get_version_for_write(self, plan_id: str, version_id: str, *, shared: bool) -> Any:
        """The version, row-locked for a write to its content (PostgreSQL; SQLite locks the whole file).

        ``shared``: writers that add a node (registrations) run side by side, each holding a share
        lock; a write that must see the whole version hold still (a node changed, moved or removed,
        the version submitted) takes it exclusively, so it waits for them and they for it. The
        status read under the lock is the one that stands until the transaction ends."""
        row = (await self.session.execute(
            select(plan_versions).where(plan_versions.c.id == version_id, plan_versions.c.plan_id == plan_id)
            .with_for_update(read=shared)
        )).first()
        if row is None:
            raise not_found("plan version", version_id)
        return row

    async def find_version(self, version_id: str) -> Any | None:
        return (await self.session.execute(select(plan_versions).where(plan_versions.c.id == version_id))).first()

    async def list_versions(self, plan_id: str) -> list[Any]:
        return list((await self.session.execute(
            select(plan_versions).where(plan_versions.c.plan_id == plan_id).order_by(plan_versions.c.number))).all())

    async def last_version_number(self, plan_id: str) -> int:
        return await self.session.scalar(
            select(func.max(plan_versions.c.number)).where(plan_versions.c.plan_id == plan_id)) or 0

    async def first_taken_version_id(self, version_ids: list[str]) -> str | None:
        return await self.session.scalar(select(plan_versions.c.id).where(plan_versions.c.id.in_(version_ids)).limit(1))

    async def add_version(self, values: dict[str, Any]) -> None:
        await self.session.execute(insert(plan_versions).values(**values))

    async def update_version(self, version_id: str, **values: Any) -> None:
        await self.session.execute(update(plan_versions).where(plan_versions.c.id == version_id).values(**values))

    async def supersede_if_under_governance(self, version_id: str) -> None:
        await self.session.execute(
            update(plan_versions).where(
                plan_versions.c.id == version_id, plan_versions.c.status.in_(("submitted", "under_review"))
            ).values(status="superseded")
        )
