"""One agency (public)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found

from plan_registry.application.repositories import repositories


@dataclass(frozen=True)
class ReadAgency:
    code: str


async def handle(query: ReadAgency, uow: UnitOfWork) -> dict[str, Any]:
    found = await repositories(uow).agencies.find(query.code)
    if found is None:
        raise not_found("agency", query.code)
    return found
