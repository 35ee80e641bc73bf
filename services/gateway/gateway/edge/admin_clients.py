"""``/api/v1/admin/clients``: operators manage the built-in issuer's clients. Routes stay thin."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from dgplan_contracts.identity import OPERATOR, Principal, require_role
from dgplan_contracts.assertion import principal_from_request
from dgplan_shared.problems import PROBLEM_RESPONSES, invalid, not_found
from dgplan_shared.service import get_runtime
from gateway.edge import idempotency
from gateway.edge.client_rules import plausible_client_id
from gateway.edge.clients_repository import Client, get_client, list_clients
from gateway.edge.manage_clients import NewClient, change_client, create_client, etag, rotate_secret

router = APIRouter(prefix="/api/v1/admin/clients", tags=["admin"], responses=PROBLEM_RESPONSES)


class ClientOut(BaseModel):
    client_id: str
    name: str
    roles: list[str]
    agency: str | None
    active: bool
    version: int
    created_at: str
    updated_at: str


class ClientWithSecret(ClientOut):
    client_secret: str = Field(description="Shown on creation and rotation only; store it safely.")


class ClientPage(BaseModel):
    items: list[ClientOut]
    next_cursor: str | None


class ClientIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    client_id: str = Field(min_length=3, max_length=100, examples=["agency-mof-erp"])
    name: str = Field(min_length=1, max_length=200)
    roles: list[str] = Field(min_length=1, max_length=5, examples=[["agency"]])
    agency: str | None = Field(default=None, examples=["MOF"])


class ClientPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1, max_length=200)
    roles: list[str] | None = Field(default=None, min_length=1, max_length=5)
    agency: str | None = None
    active: bool | None = None


def operator(principal: Annotated[Principal, Depends(principal_from_request)]) -> Principal:
    require_role(principal, OPERATOR)
    return principal


def _server_key(request: Request) -> str:
    return get_runtime(request).settings.internal_auth_secret.get_secret_value()


def _cursor(client_id: str) -> str:
    return base64.urlsafe_b64encode(client_id.encode()).decode().rstrip("=")


def _after(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        after = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise invalid("cursor", "not a cursor returned by this list.") from exc
    if not plausible_client_id(after):
        raise invalid("cursor", "not a cursor returned by this list.")
    return after


def _out(client: Client) -> ClientOut:
    return ClientOut(**client.public())


@router.get("", summary="List clients", response_model=ClientPage)
async def list_(
    request: Request,
    _: Annotated[Principal, Depends(operator)],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
    role: str | None = None,
    active: bool | None = None,
) -> ClientPage:
    after = _after(cursor)
    async with get_runtime(request).db.session() as session:
        rows = await list_clients(session, after=after, limit=limit + 1, role=role, active=active)
    page = rows[:limit]
    return ClientPage(
        items=[_out(c) for c in page], next_cursor=_cursor(page[-1].client_id) if len(rows) > limit else None
    )


@router.post("", summary="Create a client (its secret is shown once)", status_code=201, response_model=ClientWithSecret)
async def create(
    request: Request,
    response: Response,
    body: ClientIn,
    principal: Annotated[Principal, Depends(operator)],
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> ClientWithSecret:
    key = idempotency.require_key(idempotency_key)
    new = NewClient(body.client_id, body.name, body.roles, body.agency)
    client, secret, created = await create_client(
        get_runtime(request).db, _server_key(request), principal.subject, key, new
    )
    response.status_code = 201 if created else 200
    response.headers["ETag"] = etag(client)
    response.headers["Location"] = f"/api/v1/admin/clients/{client.client_id}"
    response.headers["Cache-Control"] = "no-store"
    return ClientWithSecret(**client.public(), client_secret=secret)


@router.get("/{client_id}", summary="One client", response_model=ClientOut)
async def get(
    request: Request, response: Response, client_id: str, _: Annotated[Principal, Depends(operator)]
) -> ClientOut:
    async with get_runtime(request).db.session() as session:
        client = await get_client(session, client_id)
    if client is None:
        raise not_found("client", client_id)
    response.headers["ETag"] = etag(client)
    return _out(client)


@router.patch("/{client_id}", summary="Change a client (If-Match required)", response_model=ClientOut)
async def patch(
    request: Request,
    response: Response,
    client_id: str,
    body: ClientPatch,
    _: Annotated[Principal, Depends(operator)],
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
) -> ClientOut:
    changes = body.model_dump(exclude_unset=True)
    for field in ("name", "roles", "active"):
        if field in changes and changes[field] is None:
            raise invalid(field, "may not be null.")
    client = await change_client(get_runtime(request).db, client_id, if_match, changes)
    response.headers["ETag"] = etag(client)
    return _out(client)


@router.post("/{client_id}/secret", summary="Rotate a client's secret (shown once)", response_model=ClientWithSecret)
async def rotate(
    request: Request,
    response: Response,
    client_id: str,
    principal: Annotated[Principal, Depends(operator)],
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> ClientWithSecret:
    key = idempotency.require_key(idempotency_key)
    client, secret = await rotate_secret(
        get_runtime(request).db, _server_key(request), principal.subject, key, client_id
    )
    response.headers["ETag"] = etag(client)
    response.headers["Cache-Control"] = "no-store"
    return ClientWithSecret(**client.public(), client_secret=secret)
