"""Deliver again — one delivery, or every delivery since a time — with the same webhook-ids, so a
receiver that de-duplicates by id applies each event once however often it is replayed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid, not_found

from notifications.adapters.delivery_repository import DeliveryRepository
from notifications.adapters.endpoint_repository import EndpointRepository
from notifications.application.deliveries import DELIVERIES_DUE
from notifications.application.endpoint_access import visible_endpoint


@dataclass(frozen=True)
class ReplayDelivery:
    principal: Principal
    endpoint_id: str
    delivery_id: str


@dataclass(frozen=True)
class ReplaySince:
    principal: Principal
    endpoint_id: str
    since: datetime


@dataclass(frozen=True)
class Replayed:
    endpoint_id: str
    scheduled: int


async def replay_one(command: ReplayDelivery, uow: UnitOfWork) -> Replayed:
    endpoint = await visible_endpoint(EndpointRepository(uow.session), command.principal, command.endpoint_id)
    repo = DeliveryRepository(uow.session)
    if await repo.get(endpoint.id, command.delivery_id) is None:
        raise not_found("delivery", command.delivery_id)
    count = await repo.reschedule(endpoint.id, utcnow(), delivery_id=command.delivery_id)
    uow.wake(DELIVERIES_DUE)
    return Replayed(endpoint.id, count)


async def replay_since(command: ReplaySince, uow: UnitOfWork) -> Replayed:
    if command.since.tzinfo is None:
        raise invalid("since", "give a time zone (e.g. 2026-12-01T00:00:00Z)")
    if command.since > utcnow():
        raise invalid("since", "lies in the future")
    endpoint = await visible_endpoint(EndpointRepository(uow.session), command.principal, command.endpoint_id)
    count = await DeliveryRepository(uow.session).reschedule(endpoint.id, utcnow(), since=command.since)
    uow.wake(DELIVERIES_DUE)
    return Replayed(endpoint.id, count)
