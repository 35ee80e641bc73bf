"""Use case: an operator creates a body (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import conflict, invalid
from gateway.governance.application.repositories import repositories
from gateway.governance.application.rule_check import OPERATOR_AS, checked_rule


@dataclass(frozen=True)
class CreateBody:
    principal: Principal
    code: str
    name_th: str
    name_en: str
    kind: str
    parent_code: str | None
    rule: dict[str, Any]


async def handle(command: CreateBody, uow: UnitOfWork) -> dict[str, Any]:
    """The stored body row (it has no members yet)."""
    repos = repositories(uow)
    now = utcnow()
    if await repos.bodies.exists(command.code):
        raise conflict("body-exists", f"a body {command.code} exists already")
    if command.parent_code is not None and not await repos.bodies.exists(command.parent_code):
        raise invalid("parent_code", f"no body {command.parent_code}")
    row = {
        "code": command.code,
        "name_th": command.name_th.strip(),
        "name_en": command.name_en.strip(),
        "kind": command.kind,
        "parent_code": command.parent_code,
        "rule": checked_rule(command.rule),
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    await repos.bodies.add(row)
    await repos.audit.append(
        actor=command.principal.subject, acting_as=OPERATOR_AS, action="body-created", target=f"body:{row['code']}",
        payload={
            "code": row["code"], "name": {"th": row["name_th"], "en": row["name_en"]}, "kind": row["kind"],
            "parent_code": row["parent_code"], "rule": row["rule"], "revision": row["version"],
        },
        at=now,
    )
    return row
