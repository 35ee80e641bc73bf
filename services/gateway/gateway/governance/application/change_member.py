"""Use case: an operator changes a member's role or deactivates them (If-Match required, audited)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import conflict, not_found
from dgplan_shared.web.etags import require_if_match
from gateway.governance.application.add_member import member_payload
from gateway.governance.application.etags import member_etag
from gateway.governance.application.membership_events import publish_membership
from gateway.governance.application.repositories import repositories
from gateway.governance.application.rule_check import OPERATOR_AS


@dataclass(frozen=True)
class ChangeMember:
    principal: Principal
    body: str
    subject: str
    if_match: str | None
    changes: dict[str, Any] = field(default_factory=dict)  # role / active / name, as sent


async def handle(command: ChangeMember, uow: UnitOfWork) -> dict[str, Any]:
    """The changed membership row."""
    repos = repositories(uow)
    now = utcnow()
    code, subject = command.body, command.subject
    member = await repos.bodies.member(code, subject)
    if member is None:
        raise not_found("member", f"{subject} of {code}")
    require_if_match(command.if_match, member_etag(code, subject, member["version"]), "membership")
    values = {k: command.changes[k] for k in ("role", "active", "name") if k in command.changes}
    becomes_chair = values.get("role", member["role"]) == "chair" and values.get("active", member["active"])
    if becomes_chair and not (member["role"] == "chair" and member["active"]):
        chairs = [s for s, r in (await repos.bodies.active_members(code)).items() if r == "chair" and s != subject]
        if chairs:
            raise conflict("chair-exists", f"{code} already has an active chair ({chairs[0]})")
    values.update(version=member["version"] + 1, updated_at=now)
    await repos.bodies.update_member(code, subject, values)
    member = {**member, **values}
    await publish_membership(uow, member)
    await repos.audit.append(
        actor=command.principal.subject, acting_as=OPERATOR_AS, action="member-changed", target=f"body:{code}",
        payload=member_payload(member), at=now,
    )
    return member
