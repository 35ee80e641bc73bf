"""Deliveries of an endpoint: history with attempts, a test event, and replays (same webhook-ids)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from dgplan_shared.commands import json_response, run_command
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.pagination import Cursor, Limit
from notifications.api import presenters
from notifications.api.deps import Caller, IdempotencyKey, run_query
from notifications.api.endpoints import EndpointId
from notifications.api.schemas import DeliveryOut, DeliveryPage, ReplayedOut, ReplayIn, ScheduledTestOut
from notifications.application import queries, replay, send_test

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"], responses=PROBLEM_RESPONSES)
DeliveryId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_]+$")]


@router.get("/endpoints/{endpoint_id}/deliveries", response_model=DeliveryPage,
            summary="Deliveries to an endpoint, newest first, with every attempt's status code and latency")
async def list_deliveries(
    request: Request, endpoint_id: EndpointId, principal: Caller, limit: Limit = 50, cursor: Cursor = None,
    status: Annotated[Literal["pending", "succeeded", "failed"] | None, Query()] = None,
) -> Response:
    rows, next_cursor = await run_query(request, queries.list_deliveries,
                                        queries.ListDeliveries(principal, endpoint_id, status, limit, cursor))
    return json_response({"items": [presenters.delivery(d) for d in rows], "next_cursor": next_cursor})


@router.get("/endpoints/{endpoint_id}/deliveries/{delivery_id}", response_model=DeliveryOut,
            summary="One delivery with its attempts")
async def get_delivery(request: Request, endpoint_id: EndpointId, delivery_id: DeliveryId,
                       principal: Caller) -> Response:
    found = await run_query(request, queries.get_delivery, queries.GetDelivery(principal, endpoint_id, delivery_id))
    return json_response(presenters.delivery(found))


@router.post("/endpoints/{endpoint_id}/test", status_code=202, response_model=ScheduledTestOut,
             summary="Send the endpoint a signed test event now")
async def test_event(request: Request, endpoint_id: EndpointId, principal: Caller,
                     idempotency_key: IdempotencyKey = None) -> Response:
    service = request.app.state.runtime.definition.name
    return await run_command(request, send_test.handle, send_test.SendTest(principal, endpoint_id, service),
                             status=202, idempotency_key=idempotency_key, payload={"endpoint": endpoint_id},
                             subject=principal.subject, require_key=True)


@router.post("/endpoints/{endpoint_id}/deliveries/{delivery_id}/replay", status_code=202, response_model=ReplayedOut,
             summary="Deliver one delivery again, with the same webhook-id")
async def replay_one(request: Request, endpoint_id: EndpointId, delivery_id: DeliveryId, principal: Caller,
                     idempotency_key: IdempotencyKey = None) -> Response:
    return await run_command(request, replay.replay_one, replay.ReplayDelivery(principal, endpoint_id, delivery_id),
                             status=202, idempotency_key=idempotency_key,
                             payload={"endpoint": endpoint_id, "delivery": delivery_id},
                             subject=principal.subject, require_key=True)


@router.post("/endpoints/{endpoint_id}/replay", status_code=202, response_model=ReplayedOut,
             summary="Deliver again everything scheduled since a time, with the same webhook-ids")
async def replay_since(request: Request, endpoint_id: EndpointId, body: ReplayIn, principal: Caller,
                       idempotency_key: IdempotencyKey = None) -> Response:
    return await run_command(request, replay.replay_since, replay.ReplaySince(principal, endpoint_id, body.since),
                             status=202, idempotency_key=idempotency_key,
                             payload={"endpoint": endpoint_id, **body.model_dump(mode="json")},
                             subject=principal.subject, require_key=True)
