"""Give an agency one more typed role on a node; its other roles stay."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid

from plan_registry.application.repositories import repositories
from plan_registry.application.update_node import UpdateNode, apply_patch
from plan_registry.domain.hierarchy import check_role


@dataclass(frozen=True)
class AssignRole:
    principal: Principal
    plan_id: str
    version_id: str
    node_id: str
    agency: str
    role: str


async def handle(command: AssignRole, uow: UnitOfWork) -> dict[str, Any]:
    check_role(command.role, "role")
    repos = repositories(uow)
    if not await repos.agencies.existing({command.agency}):
        raise invalid("agency", f"unknown agency {command.agency!r}")
    await repos.plans.get_version(command.plan_id, command.version_id)
    current = await repos.nodes.load_node(command.version_id, command.node_id)
    roles = current["roles"] + [{"agency": command.agency, "role": command.role}]
    # A POST adds and replaces nothing, so it needs no If-Match.
    change = UpdateNode(command.principal, command.plan_id, command.version_id, command.node_id, {"roles": roles}, "*")
    return await apply_patch(change, repos, uow)
