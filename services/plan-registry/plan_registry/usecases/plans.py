"""Draft a plan (with its first draft version and its root node) and change its identity."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert, select, update

from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_contracts.identity import Principal
from dgplan_shared.problems import ProblemError, invalid

from plan_registry import store
from plan_registry.db.tables import nodes, plan_versions, plans
from plan_registry.domain.hierarchy import check_period
from plan_registry.events import PLAN_DRAFTED, STRUCTURE_PUBLISHED, VERSION_CREATED
from plan_registry.events.payloads import plan_drafted, structure_published, version_created
from plan_registry.usecases.access import require_editor
from plan_registry.usecases.preconditions import check_if_match
from plan_registry.usecases.reading import plan_view


def duplicate_plan_code(code: str) -> ProblemError:
    return ProblemError(409, "duplicate-code", "Duplicate code", f"code: a plan {code!r} already exists",
                        errors=[{"field": "code", "message": "already used by another plan"}])


async def check_plan_links(uow: UnitOfWork, plan_id: str, predecessor: str | None, successor: str | None) -> None:
    """Predecessor/successor must exist, differ, and not loop back to this plan."""
    for field, other in (("predecessor_plan_id", predecessor), ("successor_plan_id", successor)):
        if other is None:
            continue
        if other == plan_id:
            raise invalid(field, "a plan cannot follow or precede itself")
        if (await uow.session.execute(select(plans.c.id).where(plans.c.id == other))).first() is None:
            raise invalid(field, f"no plan {other}")
    if predecessor is not None:
        seen, current = {plan_id}, predecessor
        while current is not None:
            if current in seen:
                raise invalid("predecessor_plan_id", "the chain of predecessors would make a cycle")
            seen.add(current)
            current = await uow.session.scalar(select(plans.c.predecessor_plan_id).where(plans.c.id == current))
    if predecessor is not None and predecessor == successor:
        raise invalid("successor_plan_id", "the same plan cannot be both predecessor and successor")


async def create_plan(uow: UnitOfWork, principal: Principal, body: dict[str, Any]) -> dict[str, Any]:
    require_editor(principal)
    check_period(body["start_fy"], body["end_fy"])
    session = uow.session
    if (await session.execute(select(plans.c.id).where(plans.c.code == body["code"]))).first() is not None:
        raise duplicate_plan_code(body["code"])
    plan_id, version_id = str(uuid.uuid4()), str(uuid.uuid4())
    await check_plan_links(uow, plan_id, body.get("predecessor_plan_id"), body.get("successor_plan_id"))
    now = utcnow()
    await session.execute(
        insert(plans).values(
            id=plan_id, code=body["code"], title_th=body["title"]["th"], title_en=body["title"]["en"],
            start_fy=body["start_fy"], end_fy=body["end_fy"], predecessor_plan_id=body.get("predecessor_plan_id"),
            successor_plan_id=body.get("successor_plan_id"), latest_version_id=version_id, created_at=now,
        )
    )
    await session.execute(
        insert(plan_versions).values(id=version_id, plan_id=plan_id, number=1, status="draft", created_at=now)
    )
    attributes = {
        "vision": body.get("vision"),
        "legal_basis": body.get("legal_basis") or [],
        "alignment": body.get("alignment") or [],
        "declared_strategies": body.get("declared_strategies"),
    }
    root = {
        "id": plan_id, "node_type": "plan", "parent_id": None, "strategy_id": None, "code": body["code"],
        "position": 0, "name": body["title"], "budget_framework": body.get("budget_framework"),
        "declared": body.get("declared"), "attributes": {k: v for k, v in attributes.items() if v is not None},
        "roles": [], "focus_area_ids": [], "target_ids": [],
    }
    await store.insert_node(session, version_id, root)
    plan = store.plan_dict(await store.get_plan(session, plan_id))
    version = store.version_dict(await store.get_version(session, plan_id, version_id))
    await uow.publish(PLAN_DRAFTED, plan_id, plan_drafted(plan))
    await uow.publish(VERSION_CREATED, plan_id, version_created(version))
    await uow.publish(STRUCTURE_PUBLISHED, plan_id, structure_published(plan, version_id, await store.load_nodes(session, version_id)))
    return plan


async def update_plan(
    uow: UnitOfWork, principal: Principal, plan_id: str, patch: dict[str, Any], if_match: str | None
) -> dict[str, Any]:
    require_editor(principal)
    session = uow.session
    current = store.plan_dict(await store.get_plan_for_update(session, plan_id))
    # The ETag clients hold is that of the plan as GET shows it.
    check_if_match(if_match, await plan_view(uow, principal, plan_id))
    merged = {**current, **patch}
    check_period(merged["start_fy"], merged["end_fy"])
    await check_plan_links(uow, plan_id, merged["predecessor_plan_id"], merged["successor_plan_id"])
    await session.execute(
        update(plans).where(plans.c.id == plan_id).values(
            title_th=merged["title"]["th"], title_en=merged["title"]["en"], start_fy=merged["start_fy"],
            end_fy=merged["end_fy"], predecessor_plan_id=merged["predecessor_plan_id"],
            successor_plan_id=merged["successor_plan_id"],
        )
    )
    if "title" in patch:
        # The working draft's plan node carries the title too, so that diffs show a renaming.
        latest = await store.get_version(session, plan_id, current["latest_version_id"])
        if latest.status == "draft":
            await session.execute(
                update(nodes).where(nodes.c.version_id == latest.id, nodes.c.node_id == plan_id).values(
                    name_th=merged["title"]["th"], name_en=merged["title"]["en"]
                )
            )
    return await plan_view(uow, principal, plan_id)
