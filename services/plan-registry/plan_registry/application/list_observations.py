"""Observations, oldest first, filtered; the public sees those on approved versions, an agency also
those on nodes it holds a role on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid
from dgplan_shared.web.pagination import decode_cursor, page_of

from plan_registry.application.repositories import repositories
from plan_registry.domain.access import is_privileged_reader


@dataclass(frozen=True)
class ListObservations:
    principal: Principal | None
    plan_id: str | None = None
    version_id: str | None = None
    node_id: str | None = None
    status: str | None = None
    raised_by_body: str | None = None
    limit: int = 50
    cursor: str | None = None


async def handle(query: ListObservations, uow: UnitOfWork) -> dict[str, Any]:
    after = decode_cursor(query.cursor, str, str)
    when = None
    if after is not None:
        try:
            when = (datetime.fromisoformat(after[0]), after[1])
        except ValueError:
            raise invalid("cursor", "not a cursor this list returned") from None
    filters = {"plan_id": query.plan_id, "version_id": query.version_id, "node_id": query.node_id,
               "status": query.status, "raised_by_body": query.raised_by_body}
    principal = query.principal
    rows = await repositories(uow).observations.search(
        filters, privileged=is_privileged_reader(principal), agency=principal.agency if principal else None,
        after=when, limit=query.limit,
    )
    items, next_cursor = page_of(rows, query.limit, lambda o: (o["created_at"], o["id"]))
    return {"items": items, "next_cursor": next_cursor}
