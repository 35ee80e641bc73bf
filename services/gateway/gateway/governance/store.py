"""Database access for the engine: rows in, plain dicts out. No decisions are taken here."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.problems import ProblemError, not_found
from gateway.audit.chain import canonical
from gateway.governance.adapters.tables import (
    gov_bodies,
    gov_instances,
    gov_members,
    gov_timeline,
    gov_votes,
    gov_workflow_definitions,
)
from gateway.governance.definitions import WorkflowDefinition

_parsed: dict[bytes, WorkflowDefinition] = {}


async def get_definition(session: AsyncSession, key: str, version: int) -> WorkflowDefinition:
    """The stored version, parsed once per distinct document (parsing validates the whole graph)."""
    row = (
        await session.execute(
            select(gov_workflow_definitions.c.definition).where(
                gov_workflow_definitions.c.key == key, gov_workflow_definitions.c.version == version
            )
        )
    ).first()
    if row is None:
        raise not_found("workflow definition", f"{key} v{version}")
    document = canonical(row.definition)
    definition = _parsed.get(document)
    if definition is None:
        definition = _parsed[document] = WorkflowDefinition.model_validate(row.definition)
    return definition


async def latest_definition_version(session: AsyncSession, key: str) -> int | None:
    return (
        await session.execute(
            select(func.max(gov_workflow_definitions.c.version)).where(gov_workflow_definitions.c.key == key)
        )
    ).scalar()


async def get_instance(session: AsyncSession, instance_id: str, *, lock: bool = False) -> dict[str, Any]:
    """The instance; ``lock`` takes its row lock (PostgreSQL) so decisions on it serialize."""
    query = select(gov_instances).where(gov_instances.c.id == instance_id)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).mappings().first()
    if row is None:
        raise not_found("workflow instance", instance_id)
    return dict(row)


async def find_instances(session: AsyncSession, **criteria: Any) -> list[dict[str, Any]]:
    query = select(gov_instances).order_by(gov_instances.c.created_at, gov_instances.c.id)
    for name, value in criteria.items():
        query = query.where(gov_instances.c[name] == value)
    return [dict(r) for r in (await session.execute(query)).mappings().all()]


async def save_instance(session: AsyncSession, instance: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Apply ``changes`` if nobody else moved the instance since it was read (lock_version)."""
    changes = {**changes, "lock_version": instance["lock_version"] + 1}
    result = await session.execute(
        update(gov_instances)
        .where(gov_instances.c.id == instance["id"], gov_instances.c.lock_version == instance["lock_version"])
        .values(**changes)
    )
    if result.rowcount != 1:
        raise ProblemError(409, "concurrent-change", "Conflict", "The instance changed meanwhile; read it again.")
    return {**instance, **changes}


async def add_timeline(session: AsyncSession, instance: dict[str, Any], **values: Any) -> None:
    values.setdefault("observations", [])
    values.setdefault("detail", {})
    await session.execute(
        insert(gov_timeline).values(
            instance_id=instance["id"],
            plan_id=instance.get("plan_id"),
            version_id=instance.get("version_id"),
            round_id=instance.get("round_id"),
            **values,
        )
    )


async def get_body(session: AsyncSession, code: str) -> dict[str, Any]:
    row = (await session.execute(select(gov_bodies).where(gov_bodies.c.code == code))).mappings().first()
    if row is None:
        raise not_found("body", code)
    return dict(row)


async def active_members(session: AsyncSession, body: str) -> dict[str, str]:
    """subject -> role of the body's active members."""
    rows = await session.execute(
        select(gov_members.c.subject, gov_members.c.role).where(
            gov_members.c.body_code == body, gov_members.c.active.is_(True)
        )
    )
    return {r.subject: r.role for r in rows}


async def votes_for(session: AsyncSession, instance_id: str, stage_entry: int) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(gov_votes)
        .where(and_(gov_votes.c.instance_id == instance_id, gov_votes.c.stage_entry == stage_entry))
        .order_by(gov_votes.c.cast_at, gov_votes.c.voter)
    )
    return [dict(r) for r in rows.mappings().all()]


def subject_of(instance: dict[str, Any]) -> str:
    return f"instance:{instance['id']}"

