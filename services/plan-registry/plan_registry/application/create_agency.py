"""Register an agency (secretariat and operators)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError, invalid

from plan_registry.application.repositories import Repositories, repositories
from plan_registry.domain.access import require_editor


@dataclass(frozen=True)
class CreateAgency:
    principal: Principal
    body: dict[str, Any]


async def check_parent(repos: Repositories, code: str, parent: str | None) -> None:
    """The parent exists and the chain of parents never comes back to ``code``."""
    seen = {code}
    current = parent
    while current is not None:
        if current in seen:
            raise invalid("parent_code", "the chain of parent agencies would make a cycle")
        seen.add(current)
        found = await repos.agencies.find(current)
        if found is None:
            raise invalid("parent_code", f"unknown agency {current!r}")
        current = found["parent_code"]


async def handle(command: CreateAgency, uow: UnitOfWork) -> dict[str, Any]:
    require_editor(command.principal)
    body = command.body
    repos = repositories(uow)
    if await repos.agencies.find(body["code"]) is not None:
        raise ProblemError(409, "duplicate-code", "Duplicate code", f"code: agency {body['code']!r} exists",
                           errors=[{"field": "code", "message": "already registered"}])
    await check_parent(repos, body["code"], body.get("parent_code"))
    agency = {"code": body["code"], "name": body["name"], "parent_code": body.get("parent_code")}
    await repos.agencies.add(agency)
    return agency
