"""Send an endpoint a test event now (through the same schedule, signature and history as any)."""

from __future__ import annotations

from dataclasses import dataclass

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import conflict
from dgplan_shared.events import CloudEvent

from notifications.adapters.delivery_repository import DeliveryRepository, NewDelivery
from notifications.adapters.endpoint_repository import EndpointRepository
from notifications.application.deliveries import DELIVERIES_DUE
from notifications.application.endpoint_access import visible_endpoint
from notifications.application.fan_out import new_message_id
from notifications.domain.endpoints import ACTIVE
from notifications.events.payloads import webhook_body
from notifications.events.types import TEST_EVENT


@dataclass(frozen=True)
class SendTest:
    principal: Principal
    endpoint_id: str
    service: str


@dataclass(frozen=True)
class ScheduledTest:
    delivery_id: str
    event_id: str


async def handle(command: SendTest, uow: UnitOfWork) -> ScheduledTest:
    endpoint = await visible_endpoint(EndpointRepository(uow.session), command.principal, command.endpoint_id)
    if endpoint.status != ACTIVE:
        raise conflict("endpoint-disabled", "The endpoint is disabled: enable it before sending a test event.")
    event = CloudEvent.new(command.service, TEST_EVENT, endpoint.id,
                           {"endpoint_id": endpoint.id, "requested_by": command.principal.subject})
    delivery_id = new_message_id()
    await DeliveryRepository(uow.session).add(
        NewDelivery(delivery_id, endpoint.id, event.id, event.type, event.time, webhook_body(event)), utcnow())
    uow.wake(DELIVERIES_DUE)
    return ScheduledTest(delivery_id, event.id)
