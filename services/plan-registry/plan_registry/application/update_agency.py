"""Rename an agency or change its parent ministry (If-Match: the agency's ETag)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found
from dgplan_shared.web.etags import content_etag, require_if_match

from plan_registry.application.create_agency import check_parent
from plan_registry.application.repositories import repositories
from plan_registry.domain.access import require_editor


@dataclass(frozen=True)
class UpdateAgency:
    principal: Principal
    code: str
    patch: dict[str, Any]
    if_match: str | None


async def handle(command: UpdateAgency, uow: UnitOfWork) -> dict[str, Any]:
    require_editor(command.principal)
    repos = repositories(uow)
    current = await repos.agencies.find(command.code)
    if current is None:
        raise not_found("agency", command.code)
    require_if_match(command.if_match, content_etag(current), "agency")
    merged = {**current, **command.patch}
    await check_parent(repos, command.code, merged.get("parent_code"))
    await repos.agencies.update(merged)
    return merged
