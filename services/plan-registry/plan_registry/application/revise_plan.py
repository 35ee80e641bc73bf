"""Revise a plan into a new draft version, copied from the latest (or a named) version."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import conflict

from plan_registry.adapters.plan_repository import version_dict
from plan_registry.application.repositories import repositories
from plan_registry.domain.access import require_editor
from plan_registry.events.types import VERSION_CREATED
from plan_registry.events.payloads import version_created


@dataclass(frozen=True)
class RevisePlan:
    principal: Principal
    plan_id: str
    based_on_version_id: str | None = None


async def handle(command: RevisePlan, uow: UnitOfWork) -> dict[str, Any]:
    require_editor(command.principal)
    plan_id = command.plan_id
    repos = repositories(uow)
    plan = await repos.plans.get_for_update(plan_id)
    latest = await repos.plans.get_version(plan_id, plan.latest_version_id)
    if latest.status == "draft":
        raise conflict("draft-exists", f"Version {latest.number} is still a draft: edit it instead.", draft_version_id=latest.id)
    base = await repos.plans.get_version(plan_id, command.based_on_version_id or latest.id)
    number = await repos.plans.last_version_number(plan_id) + 1
    version_id = str(uuid.uuid4())
    await repos.plans.add_version({"id": version_id, "plan_id": plan_id, "number": number, "status": "draft",
                                   "based_on_version_id": base.id, "created_at": utcnow()})
    await repos.nodes.copy_version(base.id, version_id)
    await repos.plans.update(plan_id, latest_version_id=version_id)
    version = version_dict(await repos.plans.get_version(plan_id, version_id))
    await uow.publish(VERSION_CREATED, plan_id, version_created(version))
    return version
