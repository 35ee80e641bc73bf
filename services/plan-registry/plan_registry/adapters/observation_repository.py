"""Observations on a version (optionally on one node)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from plan_registry.adapters.tables import node_roles, observation_history, observations, plan_versions
from plan_registry.domain.observations import ANSWERED


def observation_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "plan_id": row.plan_id,
        "version_id": row.version_id,
        "node_id": row.node_id,
        "raised_by_body": row.raised_by_body,
        "external_ref": row.external_ref,
        "text": {"th": row.text_th, "en": row.text_en},
        "status": row.status,
        "response": {"th": row.response_th, "en": row.response_en} if row.response_th else None,
        "responded_by": row.responded_by,
        "resolution_reason": row.resolution_reason,
        "created_at": row.created_at.isoformat(),
    }


def history_dict(row: Any) -> dict[str, Any]:
    return {
        "at": row.at.isoformat(),
        "actor": row.actor,
        "action": row.action,
        "status": row.status,
        "text": {"th": row.text_th, "en": row.text_en} if row.text_th is not None else None,
        "reason": row.reason,
    }


class ObservationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, observation_id: str) -> dict[str, Any] | None:
        row = (await self.session.execute(select(observations).where(observations.c.id == observation_id))).first()
        return None if row is None else observation_dict(row)

    async def id_by_ref(self, version_id: str, external_ref: str) -> str | None:
        return await self.session.scalar(select(observations.c.id).where(
            observations.c.version_id == version_id, observations.c.external_ref == external_ref))

    async def add(self, values: dict[str, Any]) -> None:
        await self.session.execute(insert(observations).values(**values))

    async def update(self, observation_id: str, **values: Any) -> None:
        await self.session.execute(update(observations).where(observations.c.id == observation_id).values(**values))

    async def add_history(self, entry: dict[str, Any]) -> None:
        """One step of the lifecycle: observation_id, at, actor, action, status, text (or None), reason."""
        text = entry.get("text") or {}
        await self.session.execute(insert(observation_history).values(
            observation_id=entry["observation_id"], at=entry["at"], actor=entry["actor"], action=entry["action"],
            status=entry["status"], text_th=text.get("th"), text_en=text.get("en"), reason=entry.get("reason"),
        ))

    async def history_of(self, observation_id: str) -> list[dict[str, Any]]:
        rows = (await self.session.execute(
            select(observation_history).where(observation_history.c.observation_id == observation_id)
            .order_by(observation_history.c.at, observation_history.c.id)
        )).all()
        return [history_dict(r) for r in rows]

    async def unanswered(self, version_id: str) -> list[str]:
        return list((await self.session.scalars(
            select(observations.c.id).where(observations.c.version_id == version_id, observations.c.status.not_in(ANSWERED))
            .order_by(observations.c.created_at, observations.c.id)
        )).all())

    async def of_plan(self, plan_id: str) -> list[dict[str, Any]]:
        rows = (await self.session.execute(select(observations).where(observations.c.plan_id == plan_id))).all()
        return [observation_dict(r) for r in rows]

    async def search(
        self, filters: dict[str, str | None], *, privileged: bool, agency: str | None,
        after: tuple[datetime, str] | None, limit: int,
    ) -> list[dict[str, Any]]:
        """Up to ``limit + 1`` observations, oldest first; (created_at, id) is the keyset."""
        query = select(observations).join(plan_versions, plan_versions.c.id == observations.c.version_id)
        for name, value in filters.items():
            if value is not None:
                query = query.where(observations.c[name] == value)
        if not privileged:
            # The public sees observations on approved versions; an agency also those on nodes it
            # holds a role on — never another agency's.
            visible = plan_versions.c.status == "approved"
            if agency:
                visible = or_(visible, exists(select(node_roles.c.node_id).where(
                    node_roles.c.version_id == observations.c.version_id, node_roles.c.node_id == observations.c.node_id,
                    node_roles.c.agency_code == agency,
                )))
            query = query.where(visible)
        if after is not None:
            when, oid = after
            query = query.where(or_(observations.c.created_at > when,
                                    and_(observations.c.created_at == when, observations.c.id > oid)))
        rows = (await self.session.execute(query.order_by(observations.c.created_at, observations.c.id).limit(limit + 1))).all()
        return [observation_dict(r) for r in rows]
