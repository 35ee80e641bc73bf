"""``/api/v1/webhooks/endpoints``: subscribe, list, read, change, delete, rotate the secret."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from dgplan_shared.commands import json_response, run_command
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.etags import version_etag
from dgplan_shared.web.pagination import Cursor, Limit
from notifications.api import presenters
from notifications.api.deps import Caller, IdempotencyKey, IfMatch, allowlist_of, box_of, run_query, settings_of
from notifications.api.schemas import (
    CreatedEndpointOut,
    EndpointIn,
    EndpointOut,
    EndpointPage,
    EndpointPatch,
    RotatedSecretOut,
    RotateIn,
)
from notifications.application import create_endpoint, delete_endpoint, queries, rotate_secret, update_endpoint
from notifications.application.update_endpoint import ETAG_KIND, endpoint_etag

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"], responses=PROBLEM_RESPONSES)
EndpointId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_]+$")]


def _etag(body: dict) -> dict[str, str]:  # type: ignore[type-arg]
    return {"ETag": version_etag(ETAG_KIND, body["id"], body["version"])}


@router.post("/endpoints", status_code=201, response_model=CreatedEndpointOut,
             summary="Subscribe a URL to events (the signing secret is shown only in this answer)")
async def create(request: Request, body: EndpointIn, principal: Caller,
                 idempotency_key: IdempotencyKey = None) -> Response:
    command = create_endpoint.CreateEndpoint(principal, body.url, body.description, body.event_types, body.agency,
                                             allowlist_of(request), box_of(request))
    return await run_command(
        request, create_endpoint.handle, command, status=201,
        present=lambda created: {**presenters.endpoint(created.endpoint), "secret": created.secret},
        idempotency_key=idempotency_key, payload=body.model_dump(mode="json"), subject=principal.subject,
        require_key=True, headers=_etag,
    )


@router.get("/endpoints", response_model=EndpointPage, summary="The webhook endpoints the caller may manage")
async def list_endpoints(request: Request, principal: Caller, limit: Limit = 50, cursor: Cursor = None) -> Response:
    rows, next_cursor = await run_query(request, queries.list_endpoints,
                                        queries.ListEndpoints(principal, limit, cursor))
    return json_response({"items": [presenters.endpoint(e) for e in rows], "next_cursor": next_cursor})


@router.get("/endpoints/{endpoint_id}", response_model=EndpointOut, summary="One webhook endpoint (with its ETag)")
async def get(request: Request, endpoint_id: EndpointId, principal: Caller) -> Response:
    endpoint = await run_query(request, queries.get_endpoint, queries.GetEndpoint(principal, endpoint_id))
    return json_response(presenters.endpoint(endpoint), headers={"ETag": endpoint_etag(endpoint)})


@router.patch("/endpoints/{endpoint_id}", response_model=EndpointOut,
              summary="Change an endpoint (URL, description, event types, enabled) under If-Match")
async def patch(request: Request, endpoint_id: EndpointId, body: EndpointPatch, principal: Caller,
                if_match: IfMatch = None) -> Response:
    command = update_endpoint.UpdateEndpoint(
        principal, endpoint_id, if_match, allowlist_of(request), url=body.url, description=body.description,
        event_types=body.event_types, enabled=body.enabled)
    return await run_command(request, update_endpoint.handle, command, present=presenters.endpoint, headers=_etag)


@router.delete("/endpoints/{endpoint_id}", status_code=204, response_class=Response,
               summary="Delete an endpoint under If-Match (nothing more is sent to it)")
async def delete(request: Request, endpoint_id: EndpointId, principal: Caller, if_match: IfMatch = None) -> Response:
    await run_command(request, delete_endpoint.handle,
                      delete_endpoint.DeleteEndpoint(principal, endpoint_id, if_match))
    return Response(status_code=204)


@router.post("/endpoints/{endpoint_id}/secret/rotate", response_model=RotatedSecretOut,
             summary="A new signing secret; the old one keeps signing beside it during the overlap")
async def rotate(request: Request, endpoint_id: EndpointId, principal: Caller, body: RotateIn | None = None,
                 idempotency_key: IdempotencyKey = None) -> Response:
    settings = settings_of(request)
    overlap = body.overlap_seconds if body and body.overlap_seconds is not None else \
        settings.webhook_secret_overlap_seconds
    command = rotate_secret.RotateSecret(principal, endpoint_id, overlap, 7 * 86400, box_of(request))
    return await run_command(request, rotate_secret.handle, command, idempotency_key=idempotency_key,
                             payload={"endpoint": endpoint_id, "overlap_seconds": overlap},
                             subject=principal.subject, require_key=True)
