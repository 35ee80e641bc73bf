"""An agency (or the secretariat) registers a project into a plan's latest version, a draft."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork

from plan_registry.application import create_node


@dataclass(frozen=True)
class RegisterProject:
    principal: Principal
    plan_id: str
    fields: dict[str, Any]


async def handle(command: RegisterProject, uow: UnitOfWork) -> dict[str, Any]:
    fields = {**command.fields, "node_type": "project"}
    node = await create_node.handle(create_node.CreateNode(command.principal, command.plan_id, None, fields), uow)
    return {**node, "plan_id": command.plan_id}
