"""The inbox handler of every consumed event: keep the agency read models, then schedule one
delivery per endpoint that asked for the type and may see the event — in the inbox's own
transaction, so an event is scheduled exactly once whatever the bus redelivers."""

from __future__ import annotations

import uuid
from typing import Any

from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent

from notifications.adapters.delivery_repository import DeliveryRepository, NewDelivery
from notifications.adapters.endpoint_repository import EndpointRepository
from notifications.adapters.read_model_repository import AgencyReadModels
from notifications.application.deliveries import DELIVERIES_DUE
from notifications.domain.event_filters import matches
from notifications.domain.scope import audience
from notifications.events.payloads import webhook_body
from notifications.events.types import PROJECT_EVENTS, REQUEST_EVENTS


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


async def _remember(models: AgencyReadModels, event: CloudEvent) -> None:
    data: dict[str, Any] = event.data
    if event.type in PROJECT_EVENTS and data.get("project_id") and data.get("lead_agency"):
        await models.remember_project(str(data["project_id"]), str(data["lead_agency"]))
    elif event.type in REQUEST_EVENTS and data.get("request_id") and data.get("agency"):
        await models.remember_request(str(data["request_id"]), str(data["agency"]), data.get("project_id"))


async def handle(uow: UnitOfWork, event: CloudEvent) -> None:
    models = AgencyReadModels(uow.session)
    await _remember(models, event)
    data = event.data if isinstance(event.data, dict) else {}
    reach = audience(
        event.type, data,
        project_agency=await models.project_agency(_text(data.get("project_id"))),
        request_agency=await models.request_agency(_text(data.get("request_id"))),
    )
    wanted = [e for e in await EndpointRepository(uow.session).active()
              if matches(e.event_types, event.type) and reach.reaches(e.agency)]
    if not wanted:
        return
    body = webhook_body(event)
    repo = DeliveryRepository(uow.session)
    now = utcnow()
    for endpoint in wanted:
        await repo.add(NewDelivery(new_message_id(), endpoint.id, event.id, event.type, event.time, body), now)
    uow.wake(DELIVERIES_DUE)


def _text(value: Any) -> str | None:
    return str(value) if value is not None and value != "" else None
