"""``/api/v1/admin/clients``: operators manage the built-in issuer's clients. Routes stay thin:
writes go through the kit's command pipeline, reads through a query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from dgplan_contracts.identity import Principal
from dgplan_shared.commands import Handler, Idempotency, answer_response, caller_scope, execute, run_command
from dgplan_shared.errors import invalid
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.service import get_runtime
from dgplan_shared.web.pagination import Cursor, Limit, decode_cursor, page_of
from gateway.edge.adapters.clients_repository import Client
from gateway.edge.api.deps import operator, secret_maker
from gateway.edge.api.schemas import (
    IDEMPOTENCY_KEY_SCHEMA,
    ClientIn,
    ClientOut,
    ClientPage,
    ClientPatch,
    ClientWithSecret,
)
from gateway.edge.application import change_client, client_queries, create_client, rotate_secret
from gateway.edge.application.client_views import client_etag
from gateway.edge.domain.client_rules import plausible_client_id
from gateway.edge.domain.secrets_hashing import SecretMaker

router = APIRouter(prefix="/api/v1/admin/clients", tags=["admin"], responses=PROBLEM_RESPONSES)

IdempotencyKey = Annotated[
    str | None, Header(alias="Idempotency-Key", json_schema_extra=IDEMPOTENCY_KEY_SCHEMA)
]
Operator = Annotated[Principal, Depends(operator)]
Secrets = Annotated[SecretMaker, Depends(secret_maker)]


def _out(client: Client) -> ClientOut:
    return ClientOut(**client.public())


def _etag(client: dict[str, Any]) -> dict[str, str]:
    return {"ETag": client_etag(client["client_id"], client["version"])}


def _after(cursor: str | None) -> str | None:
    values = decode_cursor(cursor, str)
    if values is None:
        return None
    if not plausible_client_id(values[0]):
        raise invalid("cursor", "not a cursor this list returned")
    return values[0]


async def _with_secret(
    request: Request,
    handler: Handler[Any, dict[str, Any]],
    command: Any,
    *,
    status: int,
    key: str | None,
    payload: Any,
    principal: Principal,
    secrets: SecretMaker,
    replay_status: int,
    location: bool = False,
) -> Response:
    """Run a command whose answer carries a client secret. What is stored for a retry is the
    client and the salt (``client_views.with_secret_salt``); the secret is derived again from it
    for each answer, so a retry gets the same secret and no stored answer holds one."""
    runtime = get_runtime(request)
    answer = await execute(
        runtime.uow, handler, command, status=status,
        idempotency=Idempotency.of(key, caller_scope(request, principal.subject), payload),
        store=runtime.idempotency_store,
    )
    client = answer.body["client"]
    shown = ClientWithSecret(**client, client_secret=secrets.secret(answer.body["secret_salt"]))
    rendered = type(answer)(replay_status if answer.replayed else answer.status, shown.model_dump(mode="json"),
                            answer.replayed)
    headers = {**_etag(client), "Cache-Control": "no-store"}
    if location:
        headers["Location"] = f"/api/v1/admin/clients/{client['client_id']}"
    return answer_response(rendered, headers)


@router.get("", summary="List clients", response_model=ClientPage)
async def list_(
    request: Request,
    _: Operator,
    limit: Limit = 50,
    cursor: Cursor = None,
    role: str | None = None,
    active: bool | None = None,
) -> ClientPage:
    query = client_queries.ListClients(_after(cursor), limit, role, active)
    async with get_runtime(request).uow() as uow:
        rows = await client_queries.list_(query, uow)
    page, next_cursor = page_of(rows, limit, lambda c: [c.client_id])
    return ClientPage(items=[_out(c) for c in page], next_cursor=next_cursor)


@router.post(
    "", summary="Create a client (its secret is shown once)", status_code=201, response_model=ClientWithSecret,
    responses={200: {"description": "A retry with the same Idempotency-Key: the same client and secret"}},
)
async def create(
    request: Request, body: ClientIn, principal: Operator, secrets: Secrets, idempotency_key: IdempotencyKey = None
) -> Response:
    command = create_client.CreateClient(body.client_id, body.name, body.roles, body.agency, secrets)
    return await _with_secret(
        request, create_client.handle, command, status=201, key=idempotency_key,
        payload=body.model_dump(mode="json"), principal=principal, secrets=secrets, replay_status=200, location=True,
    )


@router.get("/{client_id}", summary="One client", response_model=ClientOut)
async def get(request: Request, response: Response, client_id: str, _: Operator) -> ClientOut:
    async with get_runtime(request).uow() as uow:
        client = await client_queries.get(client_queries.GetClient(client_id), uow)
    response.headers["ETag"] = client_etag(client.client_id, client.version)
    return _out(client)


@router.patch("/{client_id}", summary="Change a client (If-Match required)", response_model=ClientOut)
async def patch(
    request: Request,
    client_id: str,
    body: ClientPatch,
    _: Operator,
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
) -> Response:
    changes = body.model_dump(exclude_unset=True)
    for field in ("name", "roles", "active"):
        if field in changes and changes[field] is None:
            raise invalid(field, "may not be null.")
    present: Callable[[Client], Any] = lambda client: _out(client).model_dump(mode="json")  # noqa: E731
    return await run_command(
        request, change_client.handle, change_client.ChangeClient(client_id, if_match, changes),
        present=present, headers=_etag,
    )


@router.post("/{client_id}/secret", summary="Rotate a client's secret (shown once)", response_model=ClientWithSecret)
async def rotate(
    request: Request, client_id: str, principal: Operator, secrets: Secrets, idempotency_key: IdempotencyKey = None
) -> Response:
    return await _with_secret(
        request, rotate_secret.handle, rotate_secret.RotateSecret(client_id, secrets), status=200,
        key=idempotency_key, payload={"client_id": client_id}, principal=principal, secrets=secrets,
        replay_status=200,
    )
