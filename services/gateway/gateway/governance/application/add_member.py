"""Use case: an operator adds a member to a body (one active chair per body; audited)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import conflict
from gateway.governance.application.membership_events import publish_membership
from gateway.governance.application.repositories import repositories
from gateway.governance.application.rule_check import OPERATOR_AS


@dataclass(frozen=True)
class AddMember:
    principal: Principal
    body: str
    subject: str
    role: str
    name: str | None = None


def member_payload(row: dict[str, Any]) -> dict[str, Any]:
    return {"body": row["body_code"], "subject": row["subject"], "name": row.get("name"), "role": row["role"],
            "active": row["active"], "revision": row["version"]}


async def handle(command: AddMember, uow: UnitOfWork) -> dict[str, Any]:
    """The stored membership row."""
    repos = repositories(uow)
    now = utcnow()
    await repos.bodies.get(command.body)
    if await repos.bodies.member(command.body, command.subject) is not None:
        raise conflict("member-exists", f"{command.subject} is already a member of {command.body}")
    if command.role == "chair" and "chair" in (await repos.bodies.active_members(command.body)).values():
        raise conflict("chair-exists", f"{command.body} already has an active chair")
    row = {
        "body_code": command.body, "subject": command.subject, "role": command.role, "name": command.name,
        "active": True,
        "version": 1, "created_at": now, "updated_at": now,
    }
    await repos.bodies.add_member(row)
    await publish_membership(uow, row)
    await repos.audit.append(
        actor=command.principal.subject, acting_as=OPERATOR_AS, action="member-added", target=f"body:{command.body}",
        decision=command.role, payload=member_payload(row), at=now,
    )
    return row
