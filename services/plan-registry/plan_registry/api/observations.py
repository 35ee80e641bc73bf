"""Observations on a version or one node, and their lifecycle."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from dgplan_shared.commands import run_command
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.url_guards import refuse_bad_text_in_url

from plan_registry.api.deps import Caller, IdemKey, Limit, Viewer, etag, read, read_with_etag
from plan_registry.api.responses import ObservationOut, ObservationStepOut, Page, ok
from plan_registry.api.schemas import ObservationCreate, ObservationResolution, ObservationResponse
from plan_registry.application import close_observation as close_case
from plan_registry.application import list_observations as list_case
from plan_registry.application import observation_history as history_case
from plan_registry.application import raise_observation as raise_case
from plan_registry.application import read_observation as read_case
from plan_registry.application import resolve_observation as resolve_case
from plan_registry.application import respond_to_observation as respond_case

router = APIRouter(tags=["observations"], responses=PROBLEM_RESPONSES, dependencies=[Depends(refuse_bad_text_in_url)])


@router.post("/api/v1/plans/{plan_id}/versions/{version_id}/observations", status_code=201, responses=ok(ObservationOut, 201))
async def raise_observation(
    plan_id: str, version_id: str, body: ObservationCreate, request: Request, principal: Caller, idempotency_key: IdemKey = None
) -> Response:
    payload = body.model_dump(mode="json")
    return await run_command(request, raise_case.handle, raise_case.RaiseObservation(principal, plan_id, version_id, payload),
                             status=201, idempotency_key=idempotency_key, payload=payload, subject=principal.subject,
                             require_key=True, headers=etag)


@router.get("/api/v1/observations", responses=ok(Page[ObservationOut]), response_model=None)
async def list_observations(
    request: Request, principal: Viewer, plan_id: str | None = None, version_id: str | None = None,
    node_id: str | None = None, status: str | None = None, raised_by_body: str | None = None,
    limit: Limit = 50, cursor: str | None = None,
) -> dict:
    query = list_case.ListObservations(principal, plan_id, version_id, node_id, status, raised_by_body, limit, cursor)
    return await read(request, list_case.handle, query)


@router.get("/api/v1/observations/{observation_id}", responses=ok(ObservationOut))
async def get_observation(observation_id: str, request: Request, principal: Viewer) -> Response:
    return await read_with_etag(request, read_case.handle, read_case.ReadObservation(principal, observation_id))


@router.get("/api/v1/observations/{observation_id}/history", responses=ok(Page[ObservationStepOut]), response_model=None)
async def observation_history(observation_id: str, request: Request, principal: Viewer) -> dict:
    """Every step of the observation's life, oldest first: each response (not only the latest) and
    each resolution, with who, when and why."""
    return await read(request, history_case.handle, history_case.ObservationHistory(principal, observation_id))


@router.post("/api/v1/observations/{observation_id}/responses", status_code=201, responses=ok(ObservationOut, 201))
async def respond(
    observation_id: str, body: ObservationResponse, request: Request, principal: Caller, idempotency_key: IdemKey = None
) -> Response:
    """Secretariat answers an observation (open -> responded); a closed one refuses (409)."""
    payload = body.model_dump(mode="json")
    command = respond_case.RespondToObservation(principal, observation_id, payload["text"])
    return await run_command(request, respond_case.handle, command, status=201, idempotency_key=idempotency_key,
                             payload=payload, subject=principal.subject, require_key=True, headers=etag)


@router.post("/api/v1/observations/{observation_id}/resolution", responses=ok(ObservationOut))
async def resolve(observation_id: str, body: ObservationResolution, request: Request, principal: Caller) -> Response:
    """The raising body accepts or rejects the response (responded -> accepted | rejected)."""
    command = resolve_case.ResolveObservation(principal, observation_id, body.decision, body.reason)
    return await run_command(request, resolve_case.handle, command, headers=etag)


@router.post("/api/v1/observations/{observation_id}/close", responses=ok(ObservationOut))
async def close(observation_id: str, request: Request, principal: Caller) -> Response:
    return await run_command(request, close_case.handle, close_case.CloseObservation(principal, observation_id), headers=etag)
