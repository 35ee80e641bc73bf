"""Read one indicator; 404 when it measures a project the caller may not see (its link would name
another agency's unapproved proposal)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found
from monitoring.adapters.repositories import Repositories, repositories
from monitoring.application.create_indicator import current_view
from monitoring.application.project_visibility import indicator_scope


@dataclass(frozen=True)
class GetIndicator:
    principal: Principal | None
    indicator_id: str


async def visible_indicator(repos: Repositories, principal: Principal | None, indicator_id: str) -> dict[str, Any]:
    view = await current_view(repos, indicator_id)
    link = view["link"]
    if link["type"] == "project" and not (await indicator_scope(repos, principal)).shows(link["id"]):
        raise not_found("indicator", indicator_id)
    return view


async def handle(query: GetIndicator, uow: UnitOfWork) -> dict[str, Any]:
    return await visible_indicator(repositories(uow), query.principal, query.indicator_id)
