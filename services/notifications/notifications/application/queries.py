"""Read use cases: endpoints and their deliveries, as the caller may see them."""

from __future__ import annotations

from dataclasses import dataclass

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found
from dgplan_shared.web.pagination import decode_cursor, page_of
from notifications.adapters.delivery_repository import Delivery, DeliveryRepository
from notifications.adapters.endpoint_repository import Endpoint, EndpointRepository
from notifications.application.endpoint_access import visible_endpoint
from notifications.domain.endpoints import is_overseer, require_manager


@dataclass(frozen=True)
class ListEndpoints:
    principal: Principal
    limit: int
    cursor: str | None


@dataclass(frozen=True)
class GetEndpoint:
    principal: Principal
    endpoint_id: str


@dataclass(frozen=True)
class ListDeliveries:
    principal: Principal
    endpoint_id: str
    status: str | None
    limit: int
    cursor: str | None


@dataclass(frozen=True)
class GetDelivery:
    principal: Principal
    endpoint_id: str
    delivery_id: str


async def list_endpoints(query: ListEndpoints, uow: UnitOfWork) -> tuple[list[Endpoint], str | None]:
    require_manager(query.principal)
    after = decode_cursor(query.cursor, str, str)
    rows = await EndpointRepository(uow.session).page(
        query.principal.agency, not is_overseer(query.principal), tuple(after) if after else None, query.limit + 1)
    return page_of(rows, query.limit, lambda e: (e.created_at.isoformat(), e.id))


async def get_endpoint(query: GetEndpoint, uow: UnitOfWork) -> Endpoint:
    return await visible_endpoint(EndpointRepository(uow.session), query.principal, query.endpoint_id)


async def list_deliveries(query: ListDeliveries, uow: UnitOfWork) -> tuple[list[Delivery], str | None]:
    endpoint = await visible_endpoint(EndpointRepository(uow.session), query.principal, query.endpoint_id)
    after = decode_cursor(query.cursor, str, str)
    rows = await DeliveryRepository(uow.session).page(
        endpoint.id, query.status, tuple(after) if after else None, query.limit + 1)
    return page_of(rows, query.limit, lambda d: (d.created_at.isoformat(), d.id))


async def get_delivery(query: GetDelivery, uow: UnitOfWork) -> Delivery:
    endpoint = await visible_endpoint(EndpointRepository(uow.session), query.principal, query.endpoint_id)
    found = await DeliveryRepository(uow.session).get(endpoint.id, query.delivery_id)
    if found is None:
        raise not_found("delivery", query.delivery_id)
    return found
