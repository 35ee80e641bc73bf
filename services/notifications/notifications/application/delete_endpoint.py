"""Stop sending to an endpoint for good (its deliveries and attempts stay readable to operators)."""

from __future__ import annotations

from dataclasses import dataclass

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.web.etags import require_if_match
from notifications.adapters.endpoint_repository import EndpointRepository
from notifications.application.endpoint_access import visible_endpoint
from notifications.application.update_endpoint import endpoint_etag


@dataclass(frozen=True)
class DeleteEndpoint:
    principal: Principal
    endpoint_id: str
    if_match: str | None


async def handle(command: DeleteEndpoint, uow: UnitOfWork) -> None:
    repo = EndpointRepository(uow.session)
    current = await visible_endpoint(repo, command.principal, command.endpoint_id, for_update=True)
    require_if_match(command.if_match, endpoint_etag(current), "webhook endpoint")
    await repo.delete(current.id, utcnow())
