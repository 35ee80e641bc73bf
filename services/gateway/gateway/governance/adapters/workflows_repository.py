"""Workflow definitions: stored versions in, validated definitions out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.errors import not_found
from gateway.governance.adapters.tables import gov_workflow_definitions as t
from gateway.governance.domain.audit_chain import canonical
from gateway.governance.domain.definitions import WorkflowDefinition

# Parsing validates the whole graph: do it once per distinct stored document, not per request.
_parsed: dict[bytes, WorkflowDefinition] = {}


class WorkflowsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, key: str, version: int) -> WorkflowDefinition:
        row = (
            await self.session.execute(select(t.c.definition).where(t.c.key == key, t.c.version == version))
        ).first()
        if row is None:
            raise not_found("workflow definition", f"{key} v{version}")
        document = canonical(row.definition)
        definition = _parsed.get(document)
        if definition is None:
            definition = _parsed[document] = WorkflowDefinition.model_validate(row.definition)
        return definition

    async def latest_version(self, key: str) -> int | None:
        return (await self.session.execute(select(func.max(t.c.version)).where(t.c.key == key))).scalar()

    async def versions(self) -> set[tuple[str, int]]:
        return {tuple(r) for r in await self.session.execute(select(t.c.key, t.c.version))}

    async def add(self, key: str, version: int, document: dict[str, Any], created_by: str, at: datetime) -> None:
        await self.session.execute(
            insert(t).values(key=key, version=version, definition=document, created_by=created_by, created_at=at)
        )

    async def all(self) -> list[dict[str, Any]]:
        rows = await self.session.execute(select(t).order_by(t.c.key, t.c.version))
        return [dict(r) for r in rows.mappings()]
