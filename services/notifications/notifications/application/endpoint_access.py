"""Loading an endpoint the caller may see (others get a 404 that says nothing about it)."""

from __future__ import annotations

from dgplan_contracts.identity import Principal
from dgplan_shared.errors import not_found
from notifications.adapters.endpoint_repository import Endpoint, EndpointRepository
from notifications.domain.endpoints import may_see, require_manager


async def visible_endpoint(repo: EndpointRepository, principal: Principal, endpoint_id: str,
                           *, for_update: bool = False) -> Endpoint:
    require_manager(principal)
    endpoint = await repo.get(endpoint_id, for_update=for_update)
    if endpoint is None or not may_see(principal, endpoint.agency):
        raise not_found("webhook endpoint", endpoint_id)
    return endpoint
