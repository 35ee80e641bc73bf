"""Use case: an operator changes a body's name, kind, parent or rule (If-Match required, audited)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError, invalid
from dgplan_shared.web.etags import require_if_match
from gateway.governance.application.etags import body_row_etag
from gateway.governance.application.repositories import repositories
from gateway.governance.application.rule_check import OPERATOR_AS, checked_rule


@dataclass(frozen=True)
class ChangeBody:
    principal: Principal
    code: str
    if_match: str | None
    changes: dict[str, Any] = field(default_factory=dict)  # name / kind / parent_code / rule, as sent


@dataclass(frozen=True)
class BodyChanged:
    body: dict[str, Any]
    members: list[dict[str, Any]]


async def handle(command: ChangeBody, uow: UnitOfWork) -> BodyChanged:
    repos = repositories(uow)
    now = utcnow()
    code, changes = command.code, command.changes
    body = await repos.bodies.get(code)
    members = await repos.bodies.members(code)
    require_if_match(command.if_match, body_row_etag(body, members), "body")
    values: dict[str, Any] = {}
    if "name" in changes:
        values.update(name_th=changes["name"]["th"].strip(), name_en=changes["name"]["en"].strip())
    if "rule" in changes:
        values["rule"] = checked_rule(changes["rule"])
    if "parent_code" in changes:
        parent = changes["parent_code"]
        if parent == code:
            raise invalid("parent_code", "a body cannot be its own parent")
        if parent is not None and not await repos.bodies.exists(parent):
            raise invalid("parent_code", f"no body {parent}")
        values["parent_code"] = parent
    if "kind" in changes:
        values["kind"] = changes["kind"]
    values.update(version=body["version"] + 1, updated_at=now)
    if not await repos.bodies.update(code, body["version"], values):
        raise ProblemError(412, "precondition-failed", "Precondition failed", "The body changed meanwhile.")
    await repos.audit.append(
        actor=command.principal.subject, acting_as=OPERATOR_AS, action="body-changed", target=f"body:{code}",
        payload=dict(changes), at=now,
    )
    return BodyChanged({**body, **values}, members)
