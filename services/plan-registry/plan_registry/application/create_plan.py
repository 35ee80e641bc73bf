"""Draft a plan: the plan, its first draft version and the version's root node."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError

from plan_registry.adapters.plan_repository import plan_dict, plan_values, version_dict
from plan_registry.application.plan_links import check_plan_links
from plan_registry.application.repositories import repositories
from plan_registry.domain.access import require_editor
from plan_registry.domain.hierarchy import check_period
from plan_registry.events.types import PLAN_DRAFTED, STRUCTURE_PUBLISHED, VERSION_CREATED
from plan_registry.events.payloads import plan_drafted, structure_published, version_created


@dataclass(frozen=True)
class CreatePlan:
    principal: Principal
    body: dict[str, Any]


def duplicate_plan_code(code: str) -> ProblemError:
    return ProblemError(409, "duplicate-code", "Duplicate code", f"code: a plan {code!r} already exists",
                        errors=[{"field": "code", "message": "already used by another plan"}])


async def handle(command: CreatePlan, uow: UnitOfWork) -> dict[str, Any]:
    body = command.body
    require_editor(command.principal)
    check_period(body["start_fy"], body["end_fy"])
    repos = repositories(uow)
    if await repos.plans.id_by_code(body["code"]) is not None:
        raise duplicate_plan_code(body["code"])
    plan_id, version_id = str(uuid.uuid4()), str(uuid.uuid4())
    await check_plan_links(repos, plan_id, body.get("predecessor_plan_id"), body.get("successor_plan_id"))
    now = utcnow()
    await repos.plans.add({"id": plan_id, **plan_values(body), "latest_version_id": version_id, "created_at": now})
    await repos.plans.add_version({"id": version_id, "plan_id": plan_id, "number": 1, "status": "draft", "created_at": now})
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
    await repos.nodes.insert(version_id, root)
    plan = plan_dict(await repos.plans.get(plan_id))
    version = version_dict(await repos.plans.get_version(plan_id, version_id))
    await uow.publish(PLAN_DRAFTED, plan_id, plan_drafted(plan))
    await uow.publish(VERSION_CREATED, plan_id, version_created(version))
    await uow.publish(STRUCTURE_PUBLISHED, plan_id, structure_published(plan, version_id, await repos.nodes.load_nodes(version_id)))
    return plan
