"""Workflow instances with what belongs to them: votes per stage entry, the timeline every
history reads, and overdue notices (one per stage entry)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, exists, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.errors import ProblemError, not_found
from gateway.governance.adapters.tables import gov_instances as i
from gateway.governance.adapters.tables import gov_overdue as o
from gateway.governance.adapters.tables import gov_timeline as t
from gateway.governance.adapters.tables import gov_votes as v


class InstancesRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- instances -----------------------------------------------------------------------
    async def get(self, instance_id: str, *, lock: bool = False) -> dict[str, Any]:
        """The instance; ``lock`` takes its row lock (PostgreSQL) so decisions on it serialize."""
        query = select(i).where(i.c.id == instance_id)
        if lock:
            query = query.with_for_update()
        row = (await self.session.execute(query)).mappings().first()
        if row is None:
            raise not_found("workflow instance", instance_id)
        return dict(row)

    async def find(self, **criteria: Any) -> list[dict[str, Any]]:
        query = select(i).order_by(i.c.created_at, i.c.id)
        for name, value in criteria.items():
            query = query.where(i.c[name] == value)
        return [dict(r) for r in (await self.session.execute(query)).mappings()]

    async def add(self, row: dict[str, Any]) -> None:
        await self.session.execute(insert(i).values(**row))

    async def save(self, instance: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        """Apply ``changes`` if nobody else moved the instance since it was read (lock_version)."""
        changes = {**changes, "lock_version": instance["lock_version"] + 1}
        result = await self.session.execute(
            update(i).where(i.c.id == instance["id"], i.c.lock_version == instance["lock_version"]).values(**changes)
        )
        if result.rowcount != 1:
            raise ProblemError(409, "concurrent-change", "Conflict", "The instance changed meanwhile; read it again.")
        return {**instance, **changes}

    async def active_at(self, bodies: list[str]) -> list[dict[str, Any]]:
        query = select(i).where(i.c.status == "active", i.c.stage_body.in_(bodies))
        return [dict(r) for r in (await self.session.execute(query)).mappings()]

    async def page(
        self, filters: dict[str, Any], limit: int, after: tuple[datetime, str] | None
    ) -> list[dict[str, Any]]:
        """``limit + 1`` instances, oldest first, after the (created_at, id) of ``after``."""
        query = select(i).order_by(i.c.created_at, i.c.id).limit(limit + 1)
        for name, value in filters.items():
            if value is not None:
                query = query.where(i.c[name] == value)
        if after is not None:
            created, ident = after
            query = query.where(or_(i.c.created_at > created, and_(i.c.created_at == created, i.c.id > ident)))
        return [dict(r) for r in (await self.session.execute(query)).mappings()]

    # --- timeline ------------------------------------------------------------------------
    async def add_timeline(self, instance: dict[str, Any], **values: Any) -> None:
        values.setdefault("observations", [])
        values.setdefault("detail", {})
        await self.session.execute(
            insert(t).values(
                instance_id=instance["id"],
                plan_id=instance.get("plan_id"),
                version_id=instance.get("version_id"),
                round_id=instance.get("round_id"),
                **values,
            )
        )

    async def add_outcome(self, instance: dict[str, Any], **values: Any) -> bool:
        """The stage entry's one outcome row; False if a concurrent decider wrote it first."""
        try:
            async with self.session.begin_nested():
                await self.add_timeline(instance, outcome_entry=instance["stage_entry"], **values)
        except IntegrityError:
            return False
        return True

    async def timeline_page(self, filters: dict[str, Any], limit: int, after: int | None) -> list[dict[str, Any]]:
        query = select(t).order_by(t.c.id).limit(limit + 1)
        for name, value in filters.items():
            if value is not None:
                query = query.where(t.c[name] == value)
        if after is not None:
            query = query.where(t.c.id > after)
        return [dict(r) for r in (await self.session.execute(query)).mappings()]

    # --- votes ---------------------------------------------------------------------------
    async def replace_vote(self, instance_id: str, stage_entry: int, voter: str, **values: Any) -> None:
        """A member may change their vote while the stage is open: the latest one counts."""
        await self.session.execute(
            delete(v).where(v.c.instance_id == instance_id, v.c.stage_entry == stage_entry, v.c.voter == voter)
        )
        await self.session.execute(
            insert(v).values(instance_id=instance_id, stage_entry=stage_entry, voter=voter, **values)
        )

    async def votes(self, instance_id: str, stage_entry: int) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(v)
            .where(v.c.instance_id == instance_id, v.c.stage_entry == stage_entry)
            .order_by(v.c.cast_at, v.c.voter)
        )
        return [dict(r) for r in rows.mappings()]

    async def voted(self, voter: str, instance_ids: list[str]) -> set[tuple[str, int]]:
        """(instance, stage entry) pairs at which ``voter`` has voted."""
        if not instance_ids:
            return set()
        rows = await self.session.execute(
            select(v.c.instance_id, v.c.stage_entry).where(v.c.voter == voter, v.c.instance_id.in_(instance_ids))
        )
        return {tuple(r) for r in rows}

    # --- deadlines -----------------------------------------------------------------------
    async def due(self, now: datetime, limit: int) -> list[str]:
        """Active instances past their stage's deadline whose current entry has no notice yet."""
        noticed = exists().where(and_(o.c.instance_id == i.c.id, o.c.stage_entry == i.c.stage_entry))
        query = (
            select(i.c.id)
            .where(i.c.status == "active", i.c.stage_due_at <= now, ~noticed)
            .order_by(i.c.stage_due_at)
            .limit(limit)
        )
        return list((await self.session.execute(query)).scalars())

    async def add_overdue_notice(self, **values: Any) -> bool:
        """False if another scheduler noticed this stage entry first."""
        try:
            async with self.session.begin_nested():
                await self.session.execute(insert(o).values(**values))
        except IntegrityError:
            return False
        return True
